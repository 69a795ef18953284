-- Conditions of CASE and IF are sources of the value they decide.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='${bizdate}')
SELECT order_id, shop_id, user_id,
  CASE WHEN status = 'REFUND' THEN -price ELSE price END,
  IF(qty > 0, 'VALID', 'EMPTY'),
  COALESCE(pay_time, '')
FROM ods_orders;
