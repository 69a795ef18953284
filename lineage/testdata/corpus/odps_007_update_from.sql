UPDATE dw.dwd_order_status o
SET o.status = 'REFUNDED', o.refund_amount = r.amount
FROM ods.ods_refund_di r
WHERE o.order_id = r.order_id AND r.ds = '${bizdate}';
