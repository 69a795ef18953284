INSERT OVERWRITE TABLE dwd_tgt PARTITION (ds='${bizdate}') SELECT * FROM ods_src WHERE ds = '${bizdate}';
SELECT COUNT(*) FROM dwd_tgt WHERE ds = '${bizdate}';
