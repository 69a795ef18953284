INSERT OVERWRITE TABLE dw.log_all PARTITION (dt='${dt}')
SELECT * FROM (
  SELECT uid, 'web' src FROM ods.log_web WHERE dt = '${dt}'
  UNION ALL
  SELECT uid, 'app' src FROM ods.log_app WHERE dt = '${dt}'
) t;
