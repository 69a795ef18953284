--odps sql
--********************************************************************--
--author:数据开发
--create time:2025-11-02 09:12:44
--注意: 本节点依赖 ods_trade_order; 每日 02:00 调度 (exported from the IDE: BOM, CRLF)
--********************************************************************--
INSERT OVERWRITE TABLE dws_seller_trade_1d PARTITION(ds='${bizdate}')
SELECT seller_id--卖家
,SUM(pay_amt)/*支付金额; 含运费*/
,COUNT(1)--订单数; 不去重
,COUNT(DISTINCT buyer_id)
FROM ods_trade_order--订单表
WHERE ds='${bizdate}'/* 当日; 分区 */GROUP BY seller_id
;
