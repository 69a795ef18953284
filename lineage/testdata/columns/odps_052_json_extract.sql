-- GET_JSON_OBJECT extracts from params: expression.
INSERT OVERWRITE TABLE rpt_log_page SELECT user_id, GET_JSON_OBJECT(params, '$.page') AS page, ts FROM ods_log WHERE ds='${bizdate}' AND hh='10';
