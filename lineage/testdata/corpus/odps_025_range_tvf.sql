INSERT OVERWRITE TABLE dw.dim_station_hour
SELECT s.station_id, h.hour_id
FROM dim.dim_station s
CROSS JOIN (SELECT pos AS hour_id FROM (SELECT POSEXPLODE(SPLIT(SPACE(23), ' ')) AS (pos, val)) x) h;
