CREATE TABLE IF NOT EXISTS tmp_pv_stage (page STRING, pv BIGINT);
INSERT OVERWRITE TABLE tmp_pv_stage SELECT page, COUNT(*) FROM ods_pv_di WHERE ds = '${bizdate}' GROUP BY page;
INSERT OVERWRITE TABLE dws_pv_1d PARTITION (ds='${bizdate}') SELECT page, pv FROM tmp_pv_stage;
DROP TABLE IF EXISTS tmp_pv_stage;
