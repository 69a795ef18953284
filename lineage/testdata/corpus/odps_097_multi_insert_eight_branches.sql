-- Expected, by hand: one FROM source read by eight INSERT branches.
-- Inputs: the multi-insert's FROM source ods.ods_trade_log_di, plus dim.dim_channel
-- read by a subquery in branch 5 (a WHERE ... IN (SELECT ...)).
-- Outputs: the eight branch targets, INTO and OVERWRITE alike; branch 8 writes
-- dws_trade_channel_di again (a second partition), which is still one output.
-- Branch 3 selects a column named `order` qualified (l.order) and branch 6 one
-- named `sort` unqualified: reserved words as column names, no table there.
FROM ods.ods_trade_log_di l
INSERT OVERWRITE TABLE dwd.dwd_trade_pay_di PARTITION (ds='${bizdate}')
  SELECT l.trade_id, l.amount WHERE l.ds = '${bizdate}' AND l.action = 'pay'
INSERT OVERWRITE TABLE dwd.dwd_trade_refund_di PARTITION (ds='${bizdate}')
  SELECT l.trade_id, l.amount WHERE l.ds = '${bizdate}' AND l.action = 'refund'
INSERT OVERWRITE TABLE dwd.dwd_trade_order_di PARTITION (ds='${bizdate}')
  SELECT l.trade_id, l.order WHERE l.ds = '${bizdate}' AND l.action = 'order'
INSERT INTO TABLE dwd.dwd_trade_cancel_di PARTITION (ds='${bizdate}')
  SELECT l.trade_id WHERE l.ds = '${bizdate}' AND l.action = 'cancel'
INSERT OVERWRITE TABLE dws.dws_trade_channel_di PARTITION (ds='${bizdate}', channel='known')
  SELECT l.trade_id, l.amount WHERE l.ds = '${bizdate}' AND l.channel_id IN (SELECT channel_id FROM dim.dim_channel)
INSERT OVERWRITE TABLE dws.dws_trade_sorted_di PARTITION (ds='${bizdate}')
  SELECT l.trade_id, sort WHERE l.ds = '${bizdate}' ORDER BY sort LIMIT 1000
INSERT OVERWRITE TABLE dws.dws_trade_cnt_di PARTITION (ds='${bizdate}')
  SELECT l.action, count(1) WHERE l.ds = '${bizdate}' GROUP BY l.action
INSERT OVERWRITE TABLE dws.dws_trade_channel_di PARTITION (ds='${bizdate}', channel='unknown')
  SELECT l.trade_id, l.amount WHERE l.ds = '${bizdate}' AND l.channel_id IS NULL;
