--odps sql
--desc: 当日新买家 = 当日付款买家 MINUS 截至昨日已有首单的买家
INSERT OVERWRITE TABLE ads_new_buyer_1d PARTITION (ds = '${bizdate}')
SELECT  buyer_id
FROM    ods_trade_order
WHERE   ds = '${bizdate}'
AND     order_status = 'PAID'
MINUS
SELECT  buyer_id
FROM    dws_buyer_first_order
WHERE   ds = '${yesterday}';
