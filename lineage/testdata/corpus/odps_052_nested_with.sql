INSERT OVERWRITE TABLE dw.dws_device_login PARTITION (ds='${bizdate}')
SELECT d.device_type, x.cnt
FROM (
    WITH l AS (SELECT device_id, COUNT(*) cnt FROM ods.ods_login_di WHERE ds = '${bizdate}' GROUP BY device_id)
    SELECT device_id, cnt FROM l
) x
JOIN ods.ods_device d ON x.device_id = d.device_id;
