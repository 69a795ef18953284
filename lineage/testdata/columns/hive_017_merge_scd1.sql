-- Hive ACID: apply the day's customer changes to the dimension (SCD type 1)
set hive.support.concurrency=true;
set hive.txn.manager=org.apache.hadoop.hive.ql.lockmgr.DbTxnManager;

merge into dim_customer as t
using (
  select customer_id, customer_name, lower(email) as email, tier, op, updated_at
  from stg_customer
  where updated_at > '${hivevar:last_ts}'
) as s
on t.customer_id = s.customer_id
when matched and s.op = 'D' then delete
when matched then update set customer_name = s.customer_name, email = s.email, tier = coalesce(s.tier, t.tier), updated_at = s.updated_at
when not matched and s.op <> 'D' then insert values (s.customer_id, s.customer_name, s.email, s.tier, s.updated_at);
