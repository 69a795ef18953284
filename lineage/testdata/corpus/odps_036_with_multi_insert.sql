WITH ev AS (
    SELECT event_id, event_type, user_id FROM ods.ods_event_di WHERE ds = '${bizdate}'
)
FROM ev
INSERT OVERWRITE TABLE dw.dwd_event_click_di PARTITION (ds='${bizdate}') SELECT event_id, user_id WHERE event_type = 'click'
INSERT OVERWRITE TABLE dw.dwd_event_view_di PARTITION (ds='${bizdate}') SELECT event_id, user_id WHERE event_type = 'view';
