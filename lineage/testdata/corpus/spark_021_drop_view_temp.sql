CREATE OR REPLACE TEMPORARY VIEW tmp_daily AS SELECT dt, count(*) c FROM dw.orders GROUP BY dt;
INSERT OVERWRITE TABLE dw.daily_counts SELECT * FROM tmp_daily;
DROP VIEW IF EXISTS tmp_daily;
