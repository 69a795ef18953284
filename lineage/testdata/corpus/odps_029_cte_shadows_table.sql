-- the CTE is named like a real table; only the raw table is read
WITH orders AS (
    SELECT * FROM ods.orders_raw WHERE ds = '${bizdate}' AND order_id IS NOT NULL
)
INSERT OVERWRITE TABLE dw.orders_clean PARTITION (ds='${bizdate}')
SELECT order_id, amount FROM orders;
