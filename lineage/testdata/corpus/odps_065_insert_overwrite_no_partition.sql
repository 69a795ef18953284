INSERT OVERWRITE TABLE dim.dim_city SELECT city_id, city_name, province FROM dim.dim_city_src;
