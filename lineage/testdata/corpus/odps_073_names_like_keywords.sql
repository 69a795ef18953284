INSERT OVERWRITE TABLE dw.result
SELECT data.id, log.msg
FROM ods.data data
JOIN ods.log log ON data.id = log.id;
