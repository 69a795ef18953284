INSERT OVERWRITE TABLE dw.dwd_narrow_di PARTITION (ds='${bizdate}')
SELECT id, name, amount FROM dw.dwd_wide_di WHERE ds = '${bizdate}' AND name LIKE '%from%';
