INSERT OVERWRITE TABLE dwd_evt
SELECT * FROM ods_evt
WHERE evt_type IN ('a', 'b', 'c')
   OR evt_type IN (SELECT evt_type FROM dim_evt_type WHERE enabled = 1);
