CREATE TEMPORARY TABLE tmp_clicks AS
SELECT user_id, count(*) AS c FROM ods.ods_clicks WHERE dt = '${dt}' GROUP BY user_id;
INSERT OVERWRITE TABLE dw.dws_click_summary PARTITION (dt='${dt}')
SELECT c, count(*) FROM tmp_clicks GROUP BY c;
