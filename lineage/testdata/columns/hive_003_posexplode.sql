-- posexplode's pos and value both derive from the array argument.
INSERT OVERWRITE TABLE rpt_user_tag
SELECT u.user_id, t.pos, t.tag FROM ods_users u LATERAL VIEW posexplode(split(u.tags, ',')) t AS pos, tag;
