-- Spark CTAS with USING and PARTITIONED BY (ds): ds is one of the select's columns.
CREATE TABLE rpt_city_gmv USING parquet PARTITIONED BY (ds) AS
SELECT c.city_name, sum(o.price) AS gmv, o.ds FROM ods_orders o JOIN dim_shop s ON o.shop_id = s.shop_id JOIN dim_city c ON s.city_id = c.city_id GROUP BY c.city_name, o.ds;
