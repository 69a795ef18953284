-- This task used to read from ods.ods_event_legacy; see ticket DATA-1234
/* previous version:
   INSERT OVERWRITE TABLE dw.dws_event_cnt_old SELECT * FROM ods.ods_event_legacy;
*/
INSERT OVERWRITE TABLE dw.dws_event_cnt_1d PARTITION (ds='${bizdate}')
SELECT event_type,
       COUNT(1) AS cnt,
       'select * from fake_table' AS sample_sql,
       CONCAT('from ', 'dw.dwd_event_di') AS source_desc
FROM dw.dwd_event_di
WHERE ds = '${bizdate}' AND event_type <> 'join'
GROUP BY event_type;
