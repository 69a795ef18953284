--odps sql
--desc: 买家首单; 临时表跑完即删
DROP TABLE IF EXISTS tmp_buyer_first_order_${bizdate};
CREATE TABLE tmp_buyer_first_order_${bizdate} LIFECYCLE 1 AS
SELECT  buyer_id
        ,MIN(gmt_pay) AS first_pay_time
FROM    ods_trade_order
WHERE   ds <= '${bizdate}'
AND     gmt_pay IS NOT NULL
GROUP BY buyer_id;

INSERT OVERWRITE TABLE dws_buyer_first_order PARTITION (ds = '${bizdate}')
SELECT  a.buyer_id
        ,a.first_pay_time
        ,DATEDIFF(TO_DATE('${bizdate}', 'yyyymmdd'), TO_DATE(SUBSTR(a.first_pay_time, 1, 10), 'yyyy-mm-dd'), 'dd') AS days_since_first
        ,m.level_code
FROM    tmp_buyer_first_order_${bizdate} a
LEFT OUTER JOIN ods_crm_member m
ON      a.buyer_id = m.member_id
AND     m.ds = '${bizdate}';

DROP TABLE IF EXISTS tmp_buyer_first_order_${bizdate};
