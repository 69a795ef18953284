-- Every function argument column is a source.
INSERT OVERWRITE TABLE rpt_shop_label
SELECT s.shop_id, CONCAT_WS('-', s.shop_name, c.city_name, c.province) AS label FROM dim_shop s JOIN dim_city c ON s.city_id = c.city_id;
