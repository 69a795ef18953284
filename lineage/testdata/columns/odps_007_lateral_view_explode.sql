-- The generated columns k and v derive from the function's argument.
INSERT OVERWRITE TABLE dwd_log_event PARTITION (ds='${bizdate}')
SELECT l.user_id, l.event, kv.k, kv.v
FROM ods_log l LATERAL VIEW EXPLODE(STR_TO_MAP(l.params, '&', '=')) kv AS k, v
WHERE l.ds = '${bizdate}';
