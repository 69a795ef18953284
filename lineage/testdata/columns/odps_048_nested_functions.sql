-- Nested functions: expression over every argument column.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='${bizdate}')
SELECT order_id, shop_id, user_id, ROUND(price * qty, 2), UPPER(TRIM(status)), DATEADD(TO_DATE(pay_time, 'yyyy-mm-dd hh:mi:ss'), 1, 'dd') FROM ods_orders WHERE ds='${bizdate}';
