INSERT OVERWRITE TABLE dwd_msg
SELECT id, "insert into ods_fake select 1" AS s, GET_JSON_OBJECT(body, '$.from') AS sender
FROM ods_msg;
