-- Unknown schemas, every column qualified: certain.
INSERT OVERWRITE TABLE dwd_trade PARTITION (ds='${bizdate}')
SELECT a.trade_id, a.amount, b.channel_name FROM ods_raw_trade a LEFT JOIN ods_raw_channel b ON a.channel_id = b.channel_id WHERE a.ds = '${bizdate}';
