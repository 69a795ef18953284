--odps sql
--desc: 卖家 GMV 趋势: 前一日, 近 7 日滚动, 日环比
INSERT OVERWRITE TABLE ads_seller_trend PARTITION (ds = '${bizdate}')
SELECT  seller_id
        ,pay_amt_1d
        ,pay_amt_prev
        ,pay_amt_7d
        ,ROUND((pay_amt_1d - pay_amt_prev) / NULLIF(pay_amt_prev, 0), 4) AS dod_rate
FROM    (
            SELECT  seller_id
                    ,pay_amt_1d
                    ,LAG(pay_amt_1d, 1, 0) OVER (PARTITION BY seller_id ORDER BY ds) AS pay_amt_prev
                    ,SUM(pay_amt_1d) OVER (PARTITION BY seller_id ORDER BY ds ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS pay_amt_7d
                    ,ds
            FROM    dws_seller_trade_1d
            WHERE   ds BETWEEN TO_CHAR(DATEADD(TO_DATE('${bizdate}', 'yyyymmdd'), -7, 'dd'), 'yyyymmdd') AND '${bizdate}'
        ) w
WHERE   ds = '${bizdate}'
;
