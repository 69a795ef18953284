-- Spark SQL: funnel stage per device for the day
INSERT OVERWRITE TABLE dws_device_funnel_1d PARTITION (dt = '${bizdate}')
SELECT device_id,
       CASE WHEN pay_cnt > 0 AND (view_cnt > 0 OR click_cnt > 0) THEN 'converted'
            WHEN view_cnt > 0 THEN 'browsed'
            ELSE 'idle' END AS funnel_stage,
       CASE WHEN app_ver IN ('1.0', '1.1') THEN 'legacy' ELSE app_ver END AS app_ver_group
FROM (
  SELECT device_id,
         max(app_ver) AS app_ver,
         sum(CASE WHEN event_name = 'view' THEN 1 ELSE 0 END) AS view_cnt,
         sum(CASE WHEN event_name = 'click' THEN 1 ELSE 0 END) AS click_cnt,
         sum(CASE WHEN event_name = 'pay' THEN 1 ELSE 0 END) AS pay_cnt
  FROM ods_app_log
  WHERE ds = '${bizdate}'
  GROUP BY device_id
) d;
