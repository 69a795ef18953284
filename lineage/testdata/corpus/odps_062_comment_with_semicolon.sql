-- step 1; load
/* note: do not read ods_legacy; it is gone */
INSERT OVERWRITE TABLE dwd_a_di PARTITION (ds='${bizdate}')
SELECT id, name -- ; comment after code
FROM ods_a_di WHERE ds = '${bizdate}';
