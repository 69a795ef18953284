USE trade_dw;
SET odps.sql.hive.compatible=true;
-- 卖家日汇总, 类目维度来自公共层项目
INSERT OVERWRITE TABLE dws_seller_trade_1d PARTITION (ds = '${bizdate}')
SELECT  d.seller_id
        ,SUM(IF(c.cate_name = '虚拟', 0, d.pay_amt))
        ,COUNT(d.order_id)
        ,COUNT(DISTINCT d.buyer_id)
FROM    dwd_trade_order_di d
LEFT JOIN common_dim.dim_item c
ON      d.item_id = c.item_id
AND     c.ds = '${bizdate}'
WHERE   d.ds = '${bizdate}'
GROUP BY d.seller_id;
