-- Expected, by hand: Hive database and table names beginning with a digit,
-- also in a CTE name (1st_orders, not a table), an alias (2nd) and a LATERAL
-- VIEW alias (3x). Inputs: 2024_raw.orders, 2024_raw.1688_items.
-- Output: 2024_dw.order_items.
WITH 1st_orders AS (
  SELECT order_id, items FROM 2024_raw.orders WHERE dt = '${hivevar:dt}'
)
INSERT OVERWRITE TABLE 2024_dw.order_items PARTITION (dt='${hivevar:dt}')
SELECT o.order_id, 3x.item_id, 2nd.title
FROM 1st_orders o
LATERAL VIEW explode(o.items) 3x AS item_id
JOIN 2024_raw.1688_items 2nd ON 3x.item_id = 2nd.item_id;
