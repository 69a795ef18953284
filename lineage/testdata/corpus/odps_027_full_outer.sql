INSERT OVERWRITE TABLE ads_uv_total_1d PARTITION (ds='${bizdate}')
SELECT COALESCE(a.dt, w.dt) AS dt, NVL(a.uv, 0) + NVL(w.uv, 0) AS uv
FROM (SELECT ds AS dt, uv FROM dws_uv_app_1d WHERE ds = '${bizdate}') a
FULL OUTER JOIN (SELECT ds AS dt, uv FROM dws_uv_web_1d WHERE ds = '${bizdate}') w
ON a.dt = w.dt;
