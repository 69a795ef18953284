-- Spark SQL: parse the order events landed from Kafka as strings
INSERT INTO dwd_order_event
SELECT from_json(value, 'order_id STRING, status STRING, amount DECIMAL(18,2)').order_id AS order_id,
       from_json(value, 'order_id STRING, status STRING, amount DECIMAL(18,2)').status AS status,
       CAST(from_json(value, 'order_id STRING, status STRING, amount DECIMAL(18,2)').amount AS DECIMAL(18,2)) AS amount,
       kafka_ts AS event_time
FROM ods_kafka_order_raw
WHERE topic = 'order_event';
