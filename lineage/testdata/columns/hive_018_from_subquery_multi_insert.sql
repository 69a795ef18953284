-- daily payment report and a data check from one scan
from (
  select order_id, pay_channel, amount, substr(pay_time, 1, 10) as pay_date, dt
  from ods_pay_flow
  where dt = '${hivevar:dt}'
) src
insert overwrite table ads_pay_channel_day partition (dt='${hivevar:dt}')
  select pay_channel, count(distinct order_id) as order_cnt, sum(amount) as amount
  group by pay_channel
insert overwrite table ads_pay_date_check partition (dt='${hivevar:dt}')
  select pay_date, count(1) as flow_cnt
  where pay_date <> dt
  group by pay_date;
