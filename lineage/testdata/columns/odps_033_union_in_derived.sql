-- UNION (distinct) of three branches inside a derived table: all pass the column through.
INSERT OVERWRITE TABLE rpt_all_users
SELECT uid FROM (SELECT user_id AS uid FROM ods_users UNION SELECT user_id FROM ods_orders UNION SELECT user_id FROM ods_log) t;
