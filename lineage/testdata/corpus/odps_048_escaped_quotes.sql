INSERT OVERWRITE TABLE dwd_comment_di PARTITION (ds='${bizdate}')
SELECT comment_id,
       REPLACE(content, '\'', '"') AS content,
       'it\'s from fake_tbl; really' AS note
FROM ods_comment_di
WHERE ds = '${bizdate}';
