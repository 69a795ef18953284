-- The INSERT column list maps the select list; unlisted columns get no entry.
INSERT INTO TABLE dws_shop_day PARTITION (ds='20240101') (shop_id, gmv) SELECT shop_id, price FROM ods_orders;
