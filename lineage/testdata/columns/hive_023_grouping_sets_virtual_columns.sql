-- payment cube by channel and currency; the grouping id is kept for the BI layer
insert overwrite table ads_pay_cube partition (dt='${hivevar:dt}')
select pay_channel,
       currency,
       grouping__id as grouping_id,
       count(distinct order_id) as order_cnt,
       sum(amount) as amount
from ods_pay_flow
where dt = '${hivevar:dt}'
group by pay_channel, currency
grouping sets ((pay_channel, currency), (pay_channel), ());

-- rows per landed file of the bank statement feed
insert into table ods_raw_file_audit
select input__file__name as file_path, count(1) as row_cnt
from ods_raw_bank_stmt
where dt = '${hivevar:dt}'
group by input__file__name;
