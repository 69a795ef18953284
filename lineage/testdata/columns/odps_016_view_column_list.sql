-- The view's column list renames the select list.
CREATE OR REPLACE VIEW v_shop_city (shop, city) AS
SELECT s.shop_name, c.city_name FROM dim_shop s JOIN dim_city c ON s.city_id = c.city_id;
