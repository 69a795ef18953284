-- Dynamic partition ds takes the last select expression.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds)
SELECT order_id, shop_id, user_id, price, status, SUBSTR(pay_time, 1, 10), ds FROM ods_orders WHERE ds >= '${start}';
