USE analytics;
INSERT OVERWRITE TABLE orders_clean SELECT * FROM staging_orders WHERE amount > 0;
