INSERT OVERWRITE TABLE sales_proj.dw.order_customer PARTITION (ds='${bizdate}')
SELECT o.order_id, c.customer_name, o.total
FROM sales_proj.ods.orders o
JOIN sales_proj.dim.customers c ON o.customer_id = c.customer_id
WHERE o.ds = '${bizdate}';
