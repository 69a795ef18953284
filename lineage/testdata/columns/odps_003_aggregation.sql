-- count(*) is an aggregation with no sources; MAX of a name is still an aggregation.
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT o.shop_id, MAX(s.shop_name), SUM(o.price * o.qty), COUNT(*), COUNT(DISTINCT o.user_id)
FROM ods_orders o JOIN dim_shop s ON o.shop_id = s.shop_id
WHERE o.ds = '${bizdate}' AND o.status = 'PAID'
GROUP BY o.shop_id;
