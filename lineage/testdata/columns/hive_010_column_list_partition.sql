-- Column list after the static partition.
INSERT INTO TABLE dwd_user PARTITION (ds='2024-01-01') (user_id, user_name) SELECT user_id, user_name FROM ods_users;
