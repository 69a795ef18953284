FROM ods_log_click_di
INSERT OVERWRITE TABLE dwd_click_pc_di PARTITION (ds='${bizdate}')
SELECT user_id, url, click_time WHERE ds = '${bizdate}' AND terminal = 'pc'
INSERT OVERWRITE TABLE dwd_click_app_di PARTITION (ds='${bizdate}')
SELECT user_id, url, click_time WHERE ds = '${bizdate}' AND terminal IN ('ios', 'android')
INSERT OVERWRITE TABLE dwd_click_other_di PARTITION (ds='${bizdate}')
SELECT user_id, url, click_time WHERE ds = '${bizdate}' AND terminal NOT IN ('pc', 'ios', 'android');
