INSERT OVERWRITE TABLE dwd_big_sorted_di PARTITION (ds='${bizdate}')
SELECT * FROM dwd_big_di WHERE ds = '${bizdate}'
DISTRIBUTE BY user_id SORT BY event_time;
