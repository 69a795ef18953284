-- JOIN USING: city_id is in both schemas but not ambiguous; it is the left side's.
INSERT OVERWRITE TABLE rpt_shop_city SELECT shop_id, shop_name, city_id, city_name FROM dim_shop JOIN dim_city USING (city_id);
