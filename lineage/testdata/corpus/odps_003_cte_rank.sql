WITH item_sales AS (
    SELECT item_id, SUM(pay_amount) AS gmv, COUNT(DISTINCT buyer_id) AS buyers
    FROM dw.dwd_trade_order_di
    WHERE ds = '${bizdate}'
    GROUP BY item_id
),
ranked AS (
    SELECT a.*, b.item_name, b.cate_name,
           ROW_NUMBER() OVER (PARTITION BY b.cate_name ORDER BY a.gmv DESC) AS rk
    FROM item_sales a
    JOIN dim.dim_item_df b ON a.item_id = b.item_id AND b.ds = '${bizdate}'
)
INSERT OVERWRITE TABLE ads.ads_top_item_1d PARTITION (ds='${bizdate}')
SELECT item_id, item_name, cate_name, gmv, buyers, rk
FROM ranked
WHERE rk <= 100;
