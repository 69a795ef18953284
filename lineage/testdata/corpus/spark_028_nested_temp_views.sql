CREATE OR REPLACE TEMP VIEW orders_v AS SELECT * FROM ods.raw_orders WHERE valid;
CREATE OR REPLACE TEMP VIEW totals_v AS SELECT customer_id, sum(amount) total FROM orders_v GROUP BY customer_id;
INSERT OVERWRITE TABLE dw.customer_order_totals
SELECT c.name, t.total FROM totals_v t JOIN ods.raw_customers c ON c.id = t.customer_id;
