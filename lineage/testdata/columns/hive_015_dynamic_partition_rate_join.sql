-- EMR Hive: 支付流水换算人民币, 按 dt 动态分区回刷
set hive.exec.dynamic.partition=true;
set hive.exec.dynamic.partition.mode=nonstrict;
set hive.exec.max.dynamic.partitions=2000;

insert overwrite table dwd_pay_flow_di partition (dt)
select  f.flow_id
       ,f.order_id
       ,upper(f.pay_channel) as pay_channel
       ,round(f.amount * nvl(r.rate, 1), 2) as amount_cny
       ,cast(null as string) as coupon_id
       ,hour(f.pay_time) as pay_hour
       ,f.dt
from    ods_pay_flow f
left join dim_exchange_rate r
  on    f.currency = r.currency
 and    r.dt = f.dt
where   f.dt between '${hivevar:start_dt}' and '${hivevar:end_dt}';
