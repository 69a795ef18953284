-- Two CTEs, the second aggregating the first; COUNT(1) has no column source.
WITH paid AS (
  SELECT shop_id, user_id, price * qty AS amt FROM ods_orders WHERE ds = '${bizdate}' AND status = 'PAID'
), per_shop AS (
  SELECT shop_id, SUM(amt) AS gmv, COUNT(1) AS cnt, COUNT(DISTINCT user_id) AS ucnt FROM paid GROUP BY shop_id
)
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT p.shop_id, d.shop_name, p.gmv, p.cnt, p.ucnt FROM per_shop p JOIN dim_shop d ON p.shop_id = d.shop_id;
