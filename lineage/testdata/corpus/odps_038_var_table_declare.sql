@new_users := SELECT user_id, reg_time FROM ods_user_di WHERE ds = '${bizdate}' AND is_new = 1;
@cnt BIGINT := SELECT COUNT(*) FROM @new_users;
INSERT OVERWRITE TABLE dws_new_user_1d PARTITION (ds='${bizdate}')
SELECT user_id, reg_time FROM @new_users;
