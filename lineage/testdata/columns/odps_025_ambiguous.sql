-- user_id is in both joined tables' known schemas: reported, not guessed (no source).
INSERT OVERWRITE TABLE rpt_user_orders
SELECT user_id, user_name, order_id FROM ods_users u JOIN ods_orders o ON u.user_id = o.user_id;
