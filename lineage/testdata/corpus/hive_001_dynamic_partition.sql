set hive.exec.dynamic.partition=true;
set hive.exec.dynamic.partition.mode=nonstrict;
set mapreduce.job.queuename=etl;
INSERT OVERWRITE TABLE dw.dwd_access_log PARTITION (dt)
SELECT ip, url, status, dt FROM ods.ods_access_log WHERE dt = '${hivevar:dt}';
