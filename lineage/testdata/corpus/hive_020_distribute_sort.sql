INSERT OVERWRITE TABLE dw.events_sorted
SELECT * FROM dw.events DISTRIBUTE BY user_id SORT BY ts ASC;
