INSERT OVERWRITE TABLE dim_shop_hour
SELECT s.shop_id, h.hour_id FROM dim_shop s CROSS JOIN dim_hour h;
