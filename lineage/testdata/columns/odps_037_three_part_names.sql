-- project.schema.table names, kept whole.
INSERT OVERWRITE TABLE proj.ads.ads_city_day PARTITION (ds='${bizdate}')
SELECT city_name, SUM(gmv), 1 FROM proj.dws.dws_city WHERE ds = '${bizdate}' GROUP BY city_name;
