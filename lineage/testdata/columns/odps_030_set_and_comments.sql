-- Semicolons in comments and strings do not split; CAST of a literal is a constant.
-- owner: data team; refresh daily
SET odps.sql.allow.fullscan=true;
/* build the user dimension; from ods */
INSERT OVERWRITE TABLE dwd_user PARTITION (ds='${bizdate}')
SELECT user_id, user_name, gender, CAST(0 AS BIGINT) AS age, 'n/a;' AS city_name -- not a; column
FROM ods_users WHERE ds='${bizdate}';
