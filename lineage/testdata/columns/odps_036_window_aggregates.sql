-- A windowed SUM or LAG is a window function: expression (not aggregation); its argument is the source,
-- PARTITION BY / ORDER BY are uses.
INSERT OVERWRITE TABLE rpt_user_cum
SELECT user_id, pay_time, SUM(price) OVER (PARTITION BY user_id ORDER BY pay_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum_amt,
       LAG(price, 1) OVER (PARTITION BY user_id ORDER BY pay_time) AS prev_amt
FROM ods_orders;
