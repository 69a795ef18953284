-- HAVING and ORDER BY add no sources.
INSERT OVERWRITE TABLE rpt_big_shop SELECT shop_id, SUM(price * qty) gmv FROM ods_orders GROUP BY shop_id HAVING SUM(price * qty) > 10000 ORDER BY gmv DESC LIMIT 100;
