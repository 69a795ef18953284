INSERT INTO TABLE ads.ads_user_count PARTITION (ds='${bizdate}') (dt, cnt)
SELECT '${bizdate}', COUNT(DISTINCT user_id) FROM dw.dwd_user_di WHERE ds = '${bizdate}';
