-- ROW_NUMBER() takes its value from ordering alone: expression, no sources.
INSERT OVERWRITE TABLE ads_city_day PARTITION (ds='${bizdate}')
SELECT city_name, gmv, ROW_NUMBER() OVER (ORDER BY gmv DESC) AS rank_no
FROM (
  SELECT c.city_name, SUM(o.price * o.qty) AS gmv
  FROM ods_orders o JOIN dim_shop s ON o.shop_id = s.shop_id JOIN dim_city c ON s.city_id = c.city_id
  WHERE o.ds = '${bizdate}' GROUP BY c.city_name
) t;
