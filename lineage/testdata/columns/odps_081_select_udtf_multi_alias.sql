--odps sql
--desc: 埋点参数拆列, UDTF 直接写在 SELECT 中
INSERT OVERWRITE TABLE dwd_app_click_param PARTITION (ds = '${bizdate}')
SELECT  JSON_TUPLE(props, 'item_id', 'pos', 'trace_id') AS (item_id, pos, trace_id)
FROM    ods_app_log
WHERE   ds = '${bizdate}'
AND     event_name = 'click';

INSERT OVERWRITE TABLE dwd_app_page_seq PARTITION (ds = '${bizdate}')
SELECT  POSEXPLODE(SPLIT(page, '>')) AS (step_no, page_name)
FROM    ods_app_log
WHERE   ds = '${bizdate}'
AND     event_name = 'path';
