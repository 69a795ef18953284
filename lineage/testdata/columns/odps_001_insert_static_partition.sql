-- Static partition: ds is a constant target; the schema maps by position.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='${bizdate}')
SELECT order_id, shop_id, user_id, price * qty AS amount, status, TO_CHAR(pay_time, 'yyyymmdd') AS pay_date
FROM ods_orders WHERE ds = '${bizdate}';
