--odps sql
--desc: 商品日销售中间表 + 对外视图
CREATE TABLE IF NOT EXISTS mid_item_sales_1d LIFECYCLE 3 AS
SELECT  item_id
        ,SUM(pay_amt) AS sales_amt
        ,COUNT(1) AS sales_cnt
FROM    ods_trade_order
WHERE   ds = '${bizdate}'
GROUP BY item_id;

CREATE OR REPLACE VIEW ads_item_sales_v (item_id COMMENT '商品ID', cate_name COMMENT '类目', sales_amt, avg_price COMMENT '客单价')
COMMENT '商品日销售'
AS
SELECT  s.item_id
        ,i.cate_name
        ,s.sales_amt
        ,s.sales_amt / s.sales_cnt
FROM    mid_item_sales_1d s
LEFT JOIN dim_item i
ON      s.item_id = i.item_id
AND     i.ds = MAX_PT('dim_item');
