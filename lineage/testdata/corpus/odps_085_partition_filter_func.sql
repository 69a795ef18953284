INSERT OVERWRITE TABLE dwd_snapshot_latest
SELECT * FROM ods_snapshot WHERE ds = TO_CHAR(DATEADD(TO_DATE('${bizdate}', 'yyyymmdd'), -1, 'dd'), 'yyyymmdd');
