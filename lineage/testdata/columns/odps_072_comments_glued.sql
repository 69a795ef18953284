--odps sql
INSERT OVERWRITE TABLE dwd_trade_order_di PARTITION(ds='${bizdate}')
SELECT a.order_id--订单ID
,a.buyer_id/*买家*/,a.seller_id
,a.item_id--商品
,a.pay_amt/*实付金额*/
,a.order_status--状态
,a.channel,SUBSTR(a.gmt_pay,1,10)--支付日期
FROM ods_trade_order/*主表*/a
WHERE a.ds='${bizdate}'--分区
;
