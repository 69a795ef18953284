INSERT OVERWRITE TABLE ads.ads_gmv_rate PARTITION (ds='${bizdate}')
SELECT g.gmv,
       g.gmv / (SELECT MAX(target) FROM dw.dws_gmv_target WHERE ds = '${bizdate}') AS rate
FROM dw.dws_gmv_1d g
WHERE g.ds = '${bizdate}';
