INSERT OVERWRITE TABLE dws_page_pv_1d PARTITION (ds='${bizdate}')
SELECT /*+ MAPJOIN(p) */ p.page_name, COUNT(1) AS pv
FROM dwd_pv_di v
JOIN dim_page p ON v.page_id = p.page_id
WHERE v.ds = '${bizdate}'
GROUP BY p.page_name;
