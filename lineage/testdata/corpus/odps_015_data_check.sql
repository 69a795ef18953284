-- data quality check: fail if no rows
SELECT COUNT(*) AS cnt
FROM dw.dwd_trade_order_di
WHERE ds = '${bizdate}'
HAVING COUNT(*) = 0;
