INSERT OVERWRITE TABLE dw.dws_valid_login_1d PARTITION (ds='${bizdate}')
SELECT user_id, COUNT(1) AS login_cnt
FROM dw.dwd_user_login_di
WHERE ds = '${bizdate}'
  AND user_id NOT IN (SELECT user_id FROM dw.dim_blacklist WHERE ds = '${bizdate}')
GROUP BY user_id;
