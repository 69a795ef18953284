INSERT OVERWRITE TABLE dw.order_status_named
SELECT o.id, m.name FROM dw.orders o
JOIN VALUES (0, 'new'), (1, 'paid') AS m(code, name) ON o.status = m.code;
