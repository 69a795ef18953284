-- Conditions inside aggregates are sources.
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT shop_id, NULL, SUM(CASE WHEN status = 'PAID' THEN price ELSE 0 END), COUNT_IF(status = 'PAID'), COUNT(DISTINCT IF(status = 'PAID', user_id, NULL)) FROM ods_orders GROUP BY shop_id;
