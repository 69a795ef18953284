--odps sql
--desc: 卖家日环比, 同一个 CTE 取今天与昨天
WITH d AS (
    SELECT  seller_id, ds, SUM(pay_amt) AS amt
    FROM    ods_trade_order
    WHERE   ds IN ('${bizdate}', '${yesterday}')
    GROUP BY seller_id, ds
)
INSERT OVERWRITE TABLE ads_seller_dod PARTITION (ds = '${bizdate}')
SELECT  t.seller_id
        ,t.amt AS amt_today
        ,y.amt AS amt_yesterday
        ,t.amt - COALESCE(y.amt, 0) AS amt_diff
FROM    d t
LEFT JOIN d y
ON      t.seller_id = y.seller_id
AND     y.ds = '${yesterday}'
WHERE   t.ds = '${bizdate}';
