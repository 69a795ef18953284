--odps sql
--desc: 页面路径拆段: 明细 + 设备粒度段数 (one scan, two targets)
FROM    ods_app_log l
LATERAL VIEW POSEXPLODE(SPLIT(l.page, '/')) p AS seg_no, seg
INSERT OVERWRITE TABLE dwd_app_page_seg PARTITION (ds = '${bizdate}')
SELECT  l.device_id, p.seg_no, p.seg, l.event_time
WHERE   l.ds = '${bizdate}' AND p.seg <> ''
INSERT OVERWRITE TABLE dws_device_seg_1d PARTITION (ds = '${bizdate}')
SELECT  l.device_id, COUNT(DISTINCT p.seg) AS seg_cnt, MAX(p.seg_no) + 1 AS max_depth
WHERE   l.ds = '${bizdate}'
GROUP BY l.device_id;
