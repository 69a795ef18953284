-- CACHE TABLE ... AS is a session object.
CACHE TABLE c_users AS SELECT user_id, user_name, city_id FROM ods_users;
INSERT OVERWRITE TABLE rpt_user_city SELECT u.user_id AS uid, c.city_name AS city_id FROM c_users u JOIN dim_city c ON u.city_id = c.city_id;
