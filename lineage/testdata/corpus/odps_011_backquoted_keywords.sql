INSERT OVERWRITE TABLE dw.`table` PARTITION (ds='${bizdate}')
SELECT o.`from`, o.`to`, u.`select`
FROM ods.`order` o
JOIN ods.`user` u ON o.`user_id` = u.`id`
WHERE o.ds = '${bizdate}';
