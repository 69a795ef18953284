CREATE TABLE IF NOT EXISTS dw.dwd_order_di_bak LIKE dw.dwd_order_di;
INSERT OVERWRITE TABLE dw.dwd_order_di_bak PARTITION (ds='${bizdate}')
SELECT order_id, buyer_id, amount FROM dw.dwd_order_di WHERE ds = '${bizdate}';
