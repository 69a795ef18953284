-- Both branches select from the shared FROM; NULL is a constant.
FROM ods_orders o
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='${bizdate}')
  SELECT o.order_id, o.shop_id, o.user_id, o.price * o.qty, o.status, o.pay_time WHERE o.ds = '${bizdate}'
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
  SELECT o.shop_id, NULL, SUM(o.price), COUNT(o.order_id), COUNT(DISTINCT o.user_id) WHERE o.ds = '${bizdate}' GROUP BY o.shop_id;
