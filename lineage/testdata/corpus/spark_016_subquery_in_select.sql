INSERT OVERWRITE TABLE dw.order_refund_flag
SELECT o.id,
       EXISTS(SELECT 1 FROM dw.refunds r WHERE r.order_id = o.id) AS refunded
FROM dw.orders o;
