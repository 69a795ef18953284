-- Known target: columns by position, static ds left out, dynamic hh last.
INSERT OVERWRITE TABLE ods_log PARTITION (ds='${bizdate}', hh) SELECT id, uid, evt, NULL, ts, hour_str FROM ods_raw_log;
