INSERT OVERWRITE TABLE dw.dwd_user_tag
SELECT u.user_id, t.tag
FROM ods.ods_user_tags u
LATERAL VIEW explode(u.tags) t AS tag;
