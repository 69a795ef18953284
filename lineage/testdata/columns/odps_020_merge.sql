-- MERGE: UPDATE SET and INSERT VALUES both write columns; the target itself is not an input.
MERGE INTO dwd_user t USING (SELECT user_id, user_name, city_id FROM ods_users WHERE ds='${bizdate}') s
ON t.user_id = s.user_id
WHEN MATCHED THEN UPDATE SET t.user_name = s.user_name
WHEN NOT MATCHED THEN INSERT (user_id, user_name, gender, age, city_name, ds) VALUES (s.user_id, s.user_name, NULL, NULL, CAST(s.city_id AS STRING), '${bizdate}');
