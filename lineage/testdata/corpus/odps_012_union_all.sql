INSERT OVERWRITE TABLE dwd_all_order_di PARTITION (ds='${bizdate}')
SELECT order_id, 'app' AS src, amount FROM ods_app_order_di WHERE ds = '${bizdate}'
UNION ALL
SELECT order_id, 'web' AS src, amount FROM ods_web_order_di WHERE ds = '${bizdate}'
UNION ALL
SELECT order_id, 'mini' AS src, amount FROM ods_mini_order_di WHERE ds = '${bizdate}';
