--odps sql
--desc: 订单渠道 / 买家类型 / 干净订单打标
INSERT OVERWRITE TABLE dwd_order_tag PARTITION (ds = '${bizdate}')
SELECT  o.order_id
        ,CASE WHEN o.channel IN ('app', 'mini') THEN 'online'
              WHEN o.channel = 'pos' THEN 'offline'
              ELSE 'other'
         END AS channel_type
        ,CASE WHEN o.buyer_id IN (SELECT member_id FROM dim_member WHERE is_vip = 1) THEN 'vip' ELSE 'normal' END AS buyer_type
        ,CASE WHEN o.pay_amt > 0 AND (o.refund_amt IS NULL OR o.refund_amt = 0) THEN 1 ELSE 0 END AS is_clean
FROM    ods_trade_order o
WHERE   o.ds = '${bizdate}';
