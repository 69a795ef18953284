-- A work table filled by SELECT *, read back, then dropped: followed through its known columns.
CREATE TABLE tmp_city_work (city_id STRING, city_name STRING, province STRING);
INSERT OVERWRITE TABLE tmp_city_work SELECT * FROM dim_city;
INSERT OVERWRITE TABLE rpt_province SELECT province, count(*) AS cities FROM tmp_city_work GROUP BY province;
DROP TABLE tmp_city_work;
