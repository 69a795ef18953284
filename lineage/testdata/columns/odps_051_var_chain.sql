-- Table variables built from table variables.
@a := SELECT user_id, city_id FROM ods_users WHERE ds='${bizdate}';
@b := SELECT a.user_id, c.city_name FROM @a a JOIN dim_city c ON a.city_id = c.city_id;
INSERT OVERWRITE TABLE rpt_user_city SELECT user_id AS uid, city_name AS city_id FROM @b;
