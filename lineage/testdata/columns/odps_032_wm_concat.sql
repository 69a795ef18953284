-- WM_CONCAT and MAX are aggregates.
INSERT OVERWRITE TABLE rpt_shop_users
SELECT shop_id, WM_CONCAT(',', user_id) AS users, MAX(pay_time) AS last_pay FROM ods_orders GROUP BY shop_id;
