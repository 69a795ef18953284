SELECT * FROM dw.dwd_trade_order_di WHERE ds = '${bizdate}' AND pay_amount < 0 LIMIT 10;
