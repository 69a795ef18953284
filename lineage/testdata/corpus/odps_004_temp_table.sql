DROP TABLE IF EXISTS tmp_user_active_${bizdate};
CREATE TABLE tmp_user_active_${bizdate} LIFECYCLE 1 AS
SELECT user_id, COUNT(1) AS pv
FROM ods.ods_user_log_di
WHERE ds = '${bizdate}'
GROUP BY user_id;

INSERT OVERWRITE TABLE dw.dws_user_active_1d PARTITION (ds='${bizdate}')
SELECT t.user_id, t.pv, u.gender, u.age_range
FROM tmp_user_active_${bizdate} t
JOIN dim.dim_user_df u ON t.user_id = u.user_id AND u.ds = '${bizdate}';

DROP TABLE IF EXISTS tmp_user_active_${bizdate};
