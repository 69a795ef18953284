-- Spark SQL: daily payment per user with a 7-day sum and lifetime figures (two named windows)
INSERT OVERWRITE TABLE ads_user_pay_stats
SELECT uid,
       pay_date,
       amount,
       sum(amount) OVER w7 AS amount_7d,
       avg(amount) OVER wall AS amount_avg,
       dense_rank() OVER wall AS pay_rank
FROM (
  SELECT buyer_id AS uid, substr(gmt_pay, 1, 10) AS pay_date, sum(pay_amt) AS amount
  FROM ods_trade_order
  WHERE ds >= '${start_date}'
  GROUP BY buyer_id, substr(gmt_pay, 1, 10)
) d
WINDOW w7 AS (PARTITION BY uid ORDER BY pay_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
       wall AS (PARTITION BY uid ORDER BY amount DESC)
ORDER BY uid, pay_date;
