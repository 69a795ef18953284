-- COALESCE over both sides of a FULL OUTER JOIN: both are sources.
INSERT OVERWRITE TABLE rpt_user_city
SELECT COALESCE(a.user_id, b.user_id) AS uid, NVL(a.city_id, 0) AS city_id FROM ods_users a FULL OUTER JOIN dwd_user b ON a.user_id = b.user_id;
