-- Every UNION branch contributes; a constant branch adds no source and keeps the column direct.
INSERT OVERWRITE TABLE dwd_log_event PARTITION (ds='${bizdate}')
SELECT user_id, event, 'page' AS param_key, params AS param_value FROM ods_log WHERE ds='${bizdate}' AND event = 'view'
UNION ALL
SELECT user_id, 'order' AS event, 'order_id', order_id FROM ods_orders WHERE ds='${bizdate}';
