-- Spark SQL: paid amount per member level. member_id is unqualified in the select list while both the
-- temporary view and dim_member have it: reported, not guessed.
CREATE OR REPLACE TEMPORARY VIEW paid AS
SELECT buyer_id AS member_id, pay_amt, gmt_pay FROM ods_trade_order WHERE ds = '${bizdate}' AND order_status = 'PAID';

INSERT OVERWRITE TABLE ads_member_paid_1d
SELECT member_id,
       m.level_name,
       sum(p.pay_amt) AS pay_amt
FROM paid p
JOIN dim_member m ON p.member_id = m.member_id
GROUP BY member_id, m.level_name;
