-- Hive dynamic partition: the trailing expression feeds ds.
SET hive.exec.dynamic.partition.mode=nonstrict;
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds)
SELECT order_id, shop_id, user_id, price * qty, status, from_unixtime(unix_timestamp(pay_time), 'yyyy-MM-dd'), ds FROM ods_orders;
