-- INSERT INTO without TABLE.
INSERT INTO dim_city_bak SELECT city_id, city_name, province FROM dim_city WHERE province = 'Zhejiang';
