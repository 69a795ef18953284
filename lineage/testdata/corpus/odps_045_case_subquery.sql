INSERT OVERWRITE TABLE dw.dws_user_tag PARTITION (ds='${bizdate}')
SELECT u.user_id,
       CASE WHEN u.user_id IN (SELECT user_id FROM dw.dim_vip) THEN 'vip' ELSE 'normal' END AS tag
FROM dw.dwd_user_di u
WHERE u.ds = '${bizdate}';
