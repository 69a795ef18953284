INSERT OVERWRITE TABLE dwd_hourly_di PARTITION (ds='${bizdate}', hh='${hour}')
SELECT id, val FROM ods_hourly_di WHERE ds = '${bizdate}' AND hh = '${hour}';
