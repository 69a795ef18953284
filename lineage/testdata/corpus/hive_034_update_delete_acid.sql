UPDATE dw.acid_orders SET status = 'closed' WHERE created < '2026-01-01';
DELETE FROM dw.acid_orders WHERE status = 'void';
