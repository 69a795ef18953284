-- A view over a join with an aggregated derived table.
CREATE OR REPLACE VIEW v_user_orders AS SELECT u.user_id, u.user_name, o.cnt FROM ods_users u JOIN (SELECT user_id, count(*) AS cnt FROM ods_orders GROUP BY user_id) o ON u.user_id = o.user_id;
