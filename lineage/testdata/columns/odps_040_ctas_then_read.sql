-- mid_shop_gmv survives the run: a real output, then a real input of the next statement.
CREATE TABLE IF NOT EXISTS mid_shop_gmv AS SELECT shop_id, SUM(price) AS gmv FROM ods_orders GROUP BY shop_id;
INSERT OVERWRITE TABLE ads_city_day PARTITION (ds='${bizdate}')
SELECT c.city_name, SUM(m.gmv), 0 FROM mid_shop_gmv m JOIN dim_shop s ON m.shop_id = s.shop_id JOIN dim_city c ON s.city_id = c.city_id GROUP BY c.city_name;
