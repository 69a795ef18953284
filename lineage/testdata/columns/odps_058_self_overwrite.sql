-- A table overwritten from itself is input and output; its columns are sources.
INSERT OVERWRITE TABLE dim_shop SELECT shop_id, TRIM(shop_name), city_id, COALESCE(category, 'other') FROM dim_shop;
