--odps sql
--desc: 埋点回刷, 日期区间内按 ds/hh 动态分区写入
set odps.sql.reshuffle.dynamicpt=true;
INSERT OVERWRITE TABLE dwd_app_event_di PARTITION (ds, hh)
SELECT  device_id, user_id, event_name, page
        ,GET_JSON_OBJECT(props, '$.item_id')
        ,CAST(GET_JSON_OBJECT(props, '$.stay') AS BIGINT)
        ,event_time
        ,ds
        ,LPAD(hh, 2, '0')
FROM    ods_app_log
WHERE   ds >= '${start_date}' AND ds <= '${end_date}';
