-- A correlated EXISTS filters only.
INSERT OVERWRITE TABLE rpt_buyer SELECT u.user_id, u.user_name FROM ods_users u WHERE EXISTS (SELECT 1 FROM ods_orders o WHERE o.user_id = u.user_id);
