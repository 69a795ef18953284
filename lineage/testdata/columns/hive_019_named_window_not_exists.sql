-- tier history: first tier and number of changes per customer (named window)
with ranked as (
  select customer_id, tier, updated_at,
         row_number() over w as rn,
         first_value(tier) over w as first_tier
  from stg_customer
  window w as (partition by customer_id order by updated_at)
)
insert into table ads_customer_tier_hist
select customer_id, first_tier, tier as last_tier, rn as change_cnt
from ranked r
where not exists (select 1 from ranked x where x.customer_id = r.customer_id and x.rn > r.rn);
