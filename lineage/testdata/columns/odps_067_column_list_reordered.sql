-- 卖家日汇总补数 (INSERT INTO, 列顺序与建表顺序不同)
INSERT INTO TABLE dws_seller_trade_1d PARTITION (ds = '${bizdate}') (pay_ord_cnt_1d, seller_id, pay_buyer_cnt_1d, pay_amt_1d)
SELECT  COUNT(order_id)
        ,seller_id
        ,COUNT(DISTINCT buyer_id)
        ,SUM(pay_amt)
FROM    ods_trade_order
WHERE   ds = '${bizdate}'
AND     seller_id IS NOT NULL
GROUP BY seller_id;
