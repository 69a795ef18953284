-- one row per coupon; flows without coupons are kept (OUTER)
insert overwrite table dwd_pay_coupon_di partition (dt='${hivevar:dt}')
select f.flow_id,
       f.order_id,
       c.coupon_id,
       coalesce(f.amount, 0) as amount
from ods_pay_flow f
lateral view outer explode(split(f.coupons, ',')) c as coupon_id
where f.dt = '${hivevar:dt}';
