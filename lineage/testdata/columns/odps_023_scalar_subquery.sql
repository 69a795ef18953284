-- A scalar subquery's output column is a source of the target.
INSERT OVERWRITE TABLE ads_city_day PARTITION (ds='${bizdate}')
SELECT c.city_name, (SELECT SUM(o.price) FROM ods_orders o WHERE o.ds = '${bizdate}'), 0 FROM dim_city c;
