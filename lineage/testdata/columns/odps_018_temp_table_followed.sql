-- tmp_shop_gmv_${bizdate} is created and dropped: followed through, never a target or source.
DROP TABLE IF EXISTS tmp_shop_gmv_${bizdate};
CREATE TABLE tmp_shop_gmv_${bizdate} AS SELECT shop_id, SUM(price * qty) AS gmv FROM ods_orders WHERE ds='${bizdate}' GROUP BY shop_id;
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT t.shop_id, s.shop_name, t.gmv, 0, 0 FROM tmp_shop_gmv_${bizdate} t JOIN dim_shop s ON t.shop_id = s.shop_id;
DROP TABLE IF EXISTS tmp_shop_gmv_${bizdate};
