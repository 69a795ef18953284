INSERT OVERWRITE TABLE dwd_sms_log_di PARTITION (ds='${bizdate}')
SELECT msg_id,
       REGEXP_REPLACE(content, ';', ',') AS content,
       SPLIT_PART(extra, ';', 1) AS first_field -- split by ';'
FROM ods_sms_log_di
WHERE ds = '${bizdate}';
