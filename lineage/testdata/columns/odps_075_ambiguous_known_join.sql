--odps sql
INSERT OVERWRITE TABLE ads_item_buyer PARTITION (ds = '${bizdate}')
SELECT  item_id
        ,item_title
        ,buyer_id
        ,pay_amt
FROM    ods_trade_order o
JOIN    dim_item i
ON      o.item_id = i.item_id
WHERE   o.ds = '${bizdate}'
AND     i.ds = '${bizdate}';
