-- one row per order id found in any of the day's orders, payments and refunds (Hive UNIQUEJOIN);
-- the report table's schema is not declared
insert overwrite table rpt_order_pay_refund partition (ds='${bizdate}')
select o.order_id, o.pay_amt, p.amount, r.refund_amt
from uniquejoin
  preserve (select order_id, pay_amt from ods_trade_order where ds = '${bizdate}') o (o.order_id),
  preserve ods_pay_flow p (p.order_id),
  ods_trade_order r (r.order_id);
