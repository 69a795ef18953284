-- Literals and scheduler variables are constants.
INSERT OVERWRITE TABLE rpt_const SELECT '${bizdate}' AS dt, 1 AS flag, NULL AS note, -1 AS neg, user_id FROM ods_users;
