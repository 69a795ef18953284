--odps sql
--desc: 全渠道订单: 线上 APP / 小程序 + 线下 POS 流水
WITH app AS (
    SELECT  order_id, buyer_id, pay_amt, 'APP' AS src
    FROM    ods_trade_order
    WHERE   ds = '${bizdate}' AND channel = 'app'
),
mini AS (
    SELECT  order_id, buyer_id, pay_amt - refund_amt AS pay_amt, 'MINI' AS src
    FROM    ods_trade_order
    WHERE   ds = '${bizdate}' AND channel = 'mini'
),
offline AS (
    SELECT  flow_no AS order_id, member_id AS buyer_id, amount AS pay_amt, 'POS' AS src
    FROM    ods_pos_flow
    WHERE   ds = '${bizdate}'
)
INSERT OVERWRITE TABLE dwd_order_all_channel PARTITION (ds = '${bizdate}')
SELECT order_id, buyer_id, pay_amt, src FROM app
UNION ALL
SELECT order_id, buyer_id, pay_amt, src FROM mini
UNION ALL
SELECT order_id, buyer_id, pay_amt, src FROM offline;
