INSERT OVERWRITE TABLE dwd_time_di PARTITION (ds='${bizdate}')
SELECT id,
       CAST(ts AS BIGINT) AS ts,
       DATEPART(TO_DATE(dt, 'yyyymmdd'), 'yyyy') AS y,
       SUBSTR(name, 1, 3) AS prefix
FROM ods_time_di WHERE ds = '${bizdate}';
