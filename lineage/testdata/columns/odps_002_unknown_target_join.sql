-- rpt_shop has no known schema: names come from the select list, assumed.
INSERT INTO TABLE rpt_shop
SELECT s.shop_id AS id, s.shop_name AS name, c.city_name
FROM dim_shop s LEFT JOIN dim_city c ON s.city_id = c.city_id;
