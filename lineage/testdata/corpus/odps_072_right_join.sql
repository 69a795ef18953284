INSERT OVERWRITE TABLE ads_daily_sales
SELECT d.dt, NVL(s.amount, 0)
FROM dws_sales s
RIGHT JOIN dim_date d ON s.dt = d.dt
WHERE d.dt BETWEEN '${bizdate_30}' AND '${bizdate}';
