--odps sql
--desc: 订单明细关联最新商品维度分区
INSERT OVERWRITE TABLE dwd_trade_order_di PARTITION (ds = '${bizdate}')
SELECT  o.order_id
        ,o.buyer_id
        ,o.seller_id
        ,o.item_id
        ,o.pay_amt
        ,o.order_status
        ,CONCAT_WS('-', o.channel, i.cate_name)
        ,TO_CHAR(FROM_UNIXTIME(UNIX_TIMESTAMP(o.gmt_pay)), 'yyyymmdd')
FROM    ods_trade_order o
JOIN    (
            SELECT  item_id, cate_name
            FROM    dim_item
            WHERE   ds = MAX_PT('dim_item')
        ) i
ON      o.item_id = i.item_id
WHERE   o.ds = '${bizdate}';
