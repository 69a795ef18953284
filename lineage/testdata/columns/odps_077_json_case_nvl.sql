--odps sql
--desc: 订单扩展字段解析 (优惠券, 流量来源, 取消标记)
INSERT OVERWRITE TABLE dwd_order_ext PARTITION (ds = '${bizdate}')
SELECT  order_id
        ,GET_JSON_OBJECT(ext_json, '$.coupon.id') AS coupon_id
        ,CASE
            WHEN GET_JSON_OBJECT(ext_json, '$.coupon.type') = 'FULL_REDUCE'
                THEN CAST(GET_JSON_OBJECT(ext_json, '$.coupon.amt') AS DECIMAL(18,2))
            WHEN channel = 'app' AND pay_amt > 100 THEN 5
            ELSE 0
         END AS discount_amt
        ,NVL(GET_JSON_OBJECT(ext_json, '$.source'), channel) AS traffic_source
        ,IF(order_status = 'CANCEL', 1, 0) AS is_cancel
FROM    ods_trade_order
WHERE   ds = '${bizdate}';
