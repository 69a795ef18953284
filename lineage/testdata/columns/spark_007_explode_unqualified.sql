-- Unqualified LATERAL VIEW column.
INSERT INTO rpt_user_tag SELECT user_id, tag FROM ods_users LATERAL VIEW explode(split(tags, ',')) t AS tag;
