CREATE VIEW IF NOT EXISTS dw.v_recent_orders (order_id, amount) COMMENT 'last 7 days' AS
SELECT order_id, amount FROM dw.fact_orders WHERE dt >= date_sub(current_date, 7);
