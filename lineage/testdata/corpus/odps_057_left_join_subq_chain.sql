INSERT OVERWRITE TABLE dw.dws_order_flow PARTITION (ds='${bizdate}')
SELECT o.order_id, p.pay_time, s.ship_time
FROM (SELECT order_id FROM dw.dwd_order_di WHERE ds = '${bizdate}') o
LEFT JOIN (SELECT order_id, MIN(pay_time) pay_time FROM dw.dwd_pay_di WHERE ds = '${bizdate}' GROUP BY order_id) p
    ON o.order_id = p.order_id
LEFT JOIN (SELECT order_id, MIN(ship_time) ship_time FROM dw.dwd_ship_di WHERE ds = '${bizdate}' GROUP BY order_id) s
    ON o.order_id = s.order_id;
