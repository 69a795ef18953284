-- Static ds, dynamic hh: hh takes the last expression.
INSERT OVERWRITE TABLE ods_log_copy PARTITION (ds='${bizdate}', hh) SELECT log_id, user_id, event, params, ts, hh FROM ods_log WHERE ds='${bizdate}';
