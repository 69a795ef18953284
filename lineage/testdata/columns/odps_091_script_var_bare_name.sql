-- Script mode as MaxCompute's own examples write it: a table variable without an alias is named in columns by
-- its name without the '@' (o.shop_id for @o), in every clause.
@o := SELECT * FROM ods_orders WHERE ds = '20240101';
@s := SELECT * FROM dim_shop;
@d := SELECT o.shop_id, s.shop_name, o.price FROM @o LEFT JOIN @s ON o.shop_id = s.shop_id;
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='20240101') (shop_id, shop_name, gmv) SELECT * FROM @d;
