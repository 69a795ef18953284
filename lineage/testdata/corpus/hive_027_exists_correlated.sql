INSERT OVERWRITE TABLE dw.customers_with_orders
SELECT c.* FROM dw.customers c
WHERE EXISTS (SELECT 1 FROM dw.orders o WHERE o.customer_id = c.id);
