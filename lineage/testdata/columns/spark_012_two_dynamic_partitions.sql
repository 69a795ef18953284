-- Two dynamic partitions take the last two expressions.
INSERT OVERWRITE TABLE ods_log PARTITION (ds, hh) SELECT log_id, user_id, event, params, ts, date_format(ts, 'yyyyMMdd'), hour(ts) FROM ods_raw_log_json;
