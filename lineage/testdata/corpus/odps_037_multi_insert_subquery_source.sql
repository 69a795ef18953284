FROM (
    SELECT l.*, a.app_name
    FROM ods_log_di l
    JOIN dim_app a ON l.app_id = a.app_id
    WHERE l.ds = '${bizdate}'
) src
INSERT OVERWRITE TABLE dwd_log_a PARTITION (ds='${bizdate}') SELECT src.log_id, src.app_name WHERE src.level = 'A'
INSERT OVERWRITE TABLE dwd_log_b PARTITION (ds='${bizdate}') SELECT src.log_id, src.app_name WHERE src.level = 'B';
