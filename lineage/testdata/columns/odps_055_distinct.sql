-- SELECT DISTINCT passes values through.
INSERT OVERWRITE TABLE dim_city_shop SELECT DISTINCT s.city_id, c.city_name FROM dim_shop s JOIN dim_city c ON s.city_id = c.city_id;
