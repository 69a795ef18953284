-- UPDATE ... FROM: only the SET columns are written.
UPDATE dwd_orders SET status = o.status, amount = o.price * o.qty FROM ods_orders o WHERE dwd_orders.order_id = o.order_id AND o.ds = '${bizdate}';
