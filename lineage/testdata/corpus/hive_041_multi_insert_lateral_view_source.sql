-- Expected, by hand: a multi-insert whose FROM source carries a LATERAL VIEW
-- explode (alias tag, column t) and a join; each branch writes a table, the
-- last one a local directory (no table output). Column `user` and `from_app`
-- are columns.
-- Inputs: ods.user_profile, dim.dim_tag. Outputs: dw.user_tag, dw.tag_cnt,
-- dw.user_cnt.
FROM ods.user_profile u
LATERAL VIEW explode(split(u.tags, ',')) tag AS t
JOIN dim.dim_tag d ON tag.t = d.tag_code
INSERT OVERWRITE TABLE dw.user_tag PARTITION (dt='${hivevar:dt}') SELECT u.user, d.tag_name
INSERT OVERWRITE TABLE dw.tag_cnt PARTITION (dt='${hivevar:dt}') SELECT d.tag_name, count(*) GROUP BY d.tag_name
INSERT INTO TABLE dw.user_cnt SELECT count(DISTINCT u.user) WHERE u.from_app = 1
INSERT OVERWRITE LOCAL DIRECTORY '/tmp/tag_dump' SELECT u.user, tag.t;
