-- sessionise raw access logs with a Python script (Hive streaming)
add file hdfs:///udf/sessionize.py;
insert overwrite table dwd_access_session partition (dt='${hivevar:dt}')
select transform (ip, user_agent, request_time, url)
       using 'python sessionize.py'
       as (session_id, ip, page_cnt, duration_s)
from (
  select ip, user_agent, request_time, url
  from ods_access_log
  where dt = '${hivevar:dt}'
  distribute by ip sort by ip, request_time
) t;
