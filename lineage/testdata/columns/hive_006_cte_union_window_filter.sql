-- The window column rn only filters; the UNION inside the CTE gives both sources.
WITH ev AS (
  SELECT user_id, ts FROM ods_log WHERE event = 'login'
  UNION ALL
  SELECT user_id, pay_time AS ts FROM ods_orders
)
INSERT OVERWRITE TABLE rpt_first_touch
SELECT user_id, ts FROM (SELECT user_id, ts, row_number() OVER (PARTITION BY user_id ORDER BY ts) rn FROM ev) x WHERE rn = 1;
