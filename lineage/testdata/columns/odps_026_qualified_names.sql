-- project.table names are kept as written; the schema of dwd_orders serves proj_dw.dwd_orders.
INSERT OVERWRITE TABLE proj_dw.dwd_orders PARTITION (ds='${bizdate}')
SELECT a.order_id, a.shop_id, a.user_id, a.price, a.status, a.pay_time FROM proj_ods.ods_orders a;
