DELETE FROM dw.dwd_fix WHERE ds = '${bizdate}';
INSERT INTO TABLE dw.dwd_fix SELECT * FROM ods_fix_di WHERE ds = '${bizdate}';
