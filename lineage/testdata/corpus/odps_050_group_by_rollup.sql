INSERT OVERWRITE TABLE ads.ads_sales_cube PARTITION (ds='${bizdate}')
SELECT region, city, SUM(amount) AS amount, GROUPING(region) AS g1
FROM dw.dwd_sales_di
WHERE ds = '${bizdate}'
GROUP BY region, city
GROUPING SETS ((region, city), (region), ());
