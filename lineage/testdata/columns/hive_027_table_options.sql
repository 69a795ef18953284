-- Hive 4 read options after a table name belong to that table, not to a
-- table function: the columns come from the table.
insert overwrite table dwd_orders_deleted partition (ds='${hivevar:ds}')
select o.order_id,
       o.shop_id,
       s.shop_name,
       o.amount
from dwd_orders('acid.fetch.deleted.rows'='true') o
join dim_shop('acid.fetch.deleted.rows'='false') s on o.shop_id = s.shop_id
where o.ds = '${hivevar:ds}';
