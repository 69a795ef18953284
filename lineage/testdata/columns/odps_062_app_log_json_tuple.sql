--odps sql
--desc: 埋点日志解析到小时分区; props 是 JSON 字符串
--schedule: hourly, ${bizdate} = 当天
INSERT OVERWRITE TABLE dwd_app_event_di PARTITION (ds = '${bizdate}', hh)
SELECT  l.device_id
        ,COALESCE(l.user_id, p.uid) AS user_id
        ,LOWER(l.event_name) AS event_name
        ,l.page
        ,p.item_id
        ,CAST(p.stay AS BIGINT) AS stay_ms
        ,FROM_UNIXTIME(CAST(l.event_time AS BIGINT) / 1000) AS event_ts
        ,l.hh
FROM    ods_app_log l
LATERAL VIEW JSON_TUPLE(l.props, 'uid', 'item_id', 'stay') p AS uid, item_id, stay
WHERE   l.ds = '${bizdate}'
AND     l.event_name IS NOT NULL
;
