CREATE TABLE IF NOT EXISTS tmp.tmp_order_snapshot_${bizdate} LIFECYCLE 3 AS
SELECT * FROM dw.dwd_trade_order_di WHERE ds = '${bizdate}';
