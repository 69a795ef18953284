INSERT OVERWRITE TABLE dwd_app_event_di PARTITION (ds='${bizdate}')
SELECT e.event_id, j.page, j.btn
FROM ods_app_event_di e
LATERAL VIEW JSON_TUPLE(e.params, 'page', 'btn') j AS page, btn
WHERE e.ds = '${bizdate}';
