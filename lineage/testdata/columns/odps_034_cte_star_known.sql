-- s.* expands through the CTE to dim_shop's schema.
WITH s AS (SELECT * FROM dim_shop WHERE category = 'food')
INSERT OVERWRITE TABLE rpt_food_shop SELECT s.*, c.city_name FROM s JOIN dim_city c ON s.city_id = c.city_id;
