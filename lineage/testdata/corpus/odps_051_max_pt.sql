INSERT OVERWRITE TABLE dw.dwd_store_region PARTITION (ds='${bizdate}')
SELECT store_id, region_name
FROM dim.dim_region
WHERE ds = MAX_PT('dim.dim_region_history');
