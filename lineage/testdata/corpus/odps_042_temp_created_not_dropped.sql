CREATE TABLE IF NOT EXISTS tmp_visit_stage AS
SELECT visitor_id, COUNT(*) AS visits FROM ods_visit_di WHERE ds = '${bizdate}' GROUP BY visitor_id;
INSERT OVERWRITE TABLE dws_visit_1d PARTITION (ds='${bizdate}')
SELECT visitor_id, visits FROM tmp_visit_stage;
