-- sessionise app events with a map and a reduce script (Hive's MAP ... USING / REDUCE ... USING)
add file hdfs:///udf/parse_event.py;
add file hdfs:///udf/sessionize.py;
from (
  from ods_app_log
  map device_id, user_id, event_time, page
  using 'python parse_event.py'
  as device_id, user_id, event_ts, page
  where ds = '${bizdate}'
  distribute by device_id
  sort by device_id, event_ts
) mapped
insert overwrite table dwd_app_event_di partition (ds='${bizdate}', hh)
reduce mapped.device_id, mapped.user_id, mapped.event_ts, mapped.page
  row format delimited fields terminated by '\t'
  using 'python sessionize.py'
  as (device_id string, user_id string, event_name string, page string, item_id string, stay_ms bigint, event_ts string, hh string)
  row format delimited fields terminated by '\t' null defined as '';

-- one branch of a multi-insert through a script; the report table's schema is not declared
from ods_log
insert overwrite table rpt_param_tokens partition (ds='${bizdate}')
  map user_id, params using 'python split_params.py' as (user_id, token)
  where ds = '${bizdate}'
insert overwrite table dwd_log_event partition (ds='${bizdate}')
  select user_id, event, 'all', params
  where ds = '${bizdate}';
