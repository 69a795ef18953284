-- payment calendar attributes (Hive 2.2+ EXTRACT); the landing table's schema is not declared
insert overwrite table dwd_pay_calendar partition (dt='${hivevar:dt}')
select flow_id,
       extract(year from pay_ts) as pay_year,
       extract(month from pay_ts) as pay_month,
       extract(hour from pay_ts) as pay_hour,
       substr(card_no, 1, 6) as card_bin
from ods_raw_pay_ts
where dt = '${hivevar:dt}';
