-- Unknown target: select names are assumed, but the dynamic partition's name is written.
INSERT OVERWRITE TABLE ods_orders_bak PARTITION (ds) SELECT order_id, price AS p, ds AS dt FROM ods_orders;
