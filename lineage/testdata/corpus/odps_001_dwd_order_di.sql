--odps sql
--********************************************************************--
--author: data_team
--create time: 2026-03-02 10:12:41
--********************************************************************--
set odps.sql.allow.fullscan=true;
INSERT OVERWRITE TABLE dw.dwd_trade_order_di PARTITION (ds='${bizdate}')
SELECT o.order_id
      ,o.buyer_id
      ,o.shop_id
      ,s.shop_name
      ,o.pay_amount / 100 AS pay_amount
FROM ods.ods_trade_order_di o
LEFT JOIN dim.dim_shop_df s
ON o.shop_id = s.shop_id AND s.ds = '${bizdate}'
WHERE o.ds = '${bizdate}'
;
