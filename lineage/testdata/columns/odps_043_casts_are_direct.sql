-- CAST and parentheses pass a value through: direct.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='${bizdate}')
SELECT CAST(order_id AS STRING), CAST(CAST(shop_id AS BIGINT) AS STRING), (user_id), CAST(price AS DECIMAL(18,2)), status, CAST(NULL AS STRING) FROM ods_orders;
