--odps sql
--********************************************************************--
--author: dw_trade
--create time: 2026-03-14 10:21:07
--desc: 交易订单日明细 + 卖家汇总 + 渠道汇总 (one read of the day's orders, three targets)
--********************************************************************--
SET odps.sql.allow.fullscan=true;

FROM (
    SELECT  o.order_id
            ,o.buyer_id
            ,o.seller_id
            ,o.item_id
            ,o.pay_amt - NVL(o.refund_amt, 0) AS net_amt
            ,o.order_status
            ,o.channel
            ,TO_CHAR(TO_DATE(o.gmt_pay, 'yyyy-mm-dd hh:mi:ss'), 'yyyymmdd') AS pay_date
    FROM    ods_trade_order o
    WHERE   o.ds = '${bizdate}'
    AND     o.order_status IN ('PAID', 'SHIPPED', 'FINISHED')
) t
INSERT OVERWRITE TABLE dwd_trade_order_di PARTITION (ds = '${bizdate}')
SELECT  order_id, buyer_id, seller_id, item_id, net_amt, order_status, channel, pay_date
INSERT OVERWRITE TABLE dws_seller_trade_1d PARTITION (ds = '${bizdate}')
SELECT  seller_id, SUM(net_amt), COUNT(DISTINCT order_id), COUNT(DISTINCT buyer_id)
GROUP BY seller_id
INSERT OVERWRITE TABLE ads_channel_trade_1d PARTITION (ds = '${bizdate}')
SELECT  channel, COUNT(*) AS ord_cnt, SUM(net_amt) AS pay_amt
WHERE   channel IS NOT NULL
GROUP BY channel
;
