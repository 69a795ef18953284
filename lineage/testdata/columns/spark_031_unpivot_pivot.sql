-- UNPIVOT turns columns into rows: the value column comes from the columns
-- it lists, the name column holds constants, the other columns pass through.
-- PIVOT turns rows into columns: each cell is its aggregate, and the columns
-- neither aggregated nor pivoted group the rows.
INSERT OVERWRITE TABLE rpt_shop_metric
SELECT *
FROM (SELECT shop_id, shop_name, gmv, order_cnt FROM dws_shop_day WHERE ds = '${bizdate}') d
UNPIVOT INCLUDE NULLS (metric_value FOR metric IN (gmv, order_cnt AS orders)) u;

INSERT OVERWRITE TABLE rpt_shop_status
SELECT p.*, s.shop_name
FROM (SELECT shop_id, status, amount FROM dwd_orders WHERE ds = '${bizdate}') o
PIVOT (sum(amount) AS amt FOR status IN ('PAID' AS paid, 'REFUND')) p
JOIN dim_shop s ON p.shop_id = s.shop_id;
