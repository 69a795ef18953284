--odps sql
--desc: 订单商品宽表 + 订单表备份 (backup keeps every partition as it is)
INSERT OVERWRITE TABLE ads_order_item_wide PARTITION (ds = '${bizdate}')
SELECT  o.*
        ,i.item_title
        ,i.cate_name
FROM    (
            SELECT  order_id, item_id, pay_amt
            FROM    ods_trade_order
            WHERE   ds = '${bizdate}'
        ) o
JOIN    dim_item i
ON      o.item_id = i.item_id
AND     i.ds = MAX_PT('dim_item');

INSERT OVERWRITE TABLE ods_trade_order_bak PARTITION (ds)
SELECT  * FROM ods_trade_order WHERE ds >= '${start_date}';
