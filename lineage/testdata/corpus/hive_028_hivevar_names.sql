INSERT OVERWRITE TABLE ${hivevar:dst_db}.events_daily PARTITION (dt='${hivevar:dt}')
SELECT event, count(1) FROM ${hivevar:src_db}.events WHERE dt = '${hivevar:dt}' GROUP BY event;
