-- CTAS with STORED AS.
CREATE TABLE rpt_city_users STORED AS ORC AS SELECT c.city_name, count(DISTINCT u.user_id) AS users FROM ods_users u JOIN dim_city c ON u.city_id = c.city_id GROUP BY c.city_name;
