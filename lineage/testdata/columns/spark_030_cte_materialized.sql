-- AS [NOT] MATERIALIZED is a hint to the planner: the CTEs are read as any.
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds = '${bizdate}')
WITH paid AS MATERIALIZED (
  SELECT shop_id, user_id, amount FROM dwd_orders WHERE ds = '${bizdate}' AND status = 'PAID'
), shops AS NOT MATERIALIZED (
  SELECT shop_id, shop_name FROM dim_shop
)
SELECT p.shop_id, s.shop_name, sum(p.amount) AS gmv, count(1) AS order_cnt, count(DISTINCT p.user_id) AS user_cnt
FROM paid p JOIN shops s ON p.shop_id = s.shop_id
GROUP BY p.shop_id, s.shop_name;
