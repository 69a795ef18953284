-- CLONE TABLE copies every column.
CLONE TABLE dim_city TO dim_city_bak IF EXISTS OVERWRITE;
