INSERT OVERWRITE TABLE dw.dwd_deep
SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT id, v FROM ods.ods_deep) a) b) c;
