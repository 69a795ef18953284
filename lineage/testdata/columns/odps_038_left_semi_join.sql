-- LEFT SEMI JOIN only filters.
INSERT OVERWRITE TABLE rpt_active_shop SELECT s.shop_id, s.shop_name FROM dim_shop s LEFT SEMI JOIN ods_orders o ON s.shop_id = o.shop_id;
