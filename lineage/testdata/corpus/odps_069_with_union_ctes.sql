WITH ios AS (SELECT user_id FROM ods.ods_ios_di WHERE ds = '${bizdate}'),
     android AS (SELECT user_id FROM ods.ods_android_di WHERE ds = '${bizdate}'),
     all_users AS (SELECT user_id FROM ios UNION SELECT user_id FROM android)
INSERT OVERWRITE TABLE dw.dws_mobile_dau PARTITION (ds='${bizdate}')
SELECT COUNT(DISTINCT user_id) FROM all_users;
