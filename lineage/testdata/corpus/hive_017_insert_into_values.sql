INSERT INTO TABLE dw.etl_audit VALUES ('load_orders', '${dt}', current_timestamp());
