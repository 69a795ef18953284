-- latest payment per order without a window: max over a struct ordered by pay time
insert overwrite table dws_order_last_pay partition (dt='${hivevar:dt}')
select order_id,
       max(struct(pay_time, amount)).col2 as last_amount,
       max(struct(pay_time, pay_channel)).col2 as last_channel,
       count(*) as pay_cnt
from ods_pay_flow
where dt <= '${hivevar:dt}'
group by order_id;
