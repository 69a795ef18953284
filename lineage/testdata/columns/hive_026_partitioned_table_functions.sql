-- Hive partitioned table functions: noop passes the rows of its ON source on
-- as they are, so its columns are the source's; what matchpath returns is not
-- known here, so its columns are left without sources rather than guessed.
insert overwrite table dwd_pay_flow_ptf partition (dt='${hivevar:dt}')
select p.flow_id,
       p.order_id,
       amount * 100 as amount_cent,
       rank() over (partition by p.order_id order by p.pay_time) as rn
from noop(on ods_pay_flow
          partition by order_id
          order by pay_time) p
where p.dt = '${hivevar:dt}';

insert overwrite table rpt_late_path
select origin_city_name, fl_num, sz
from matchpath(on (select * from ods_flights where dt = '${hivevar:dt}') f
               distribute by fl_num
               sort by year, month
               arg1('LATE.LATE+'), arg2('LATE'), arg3(arr_delay > 15),
               arg4('origin_city_name, fl_num, size(tpath) as sz')) m;
