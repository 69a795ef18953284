-- MERGE with conditions on WHEN clauses; the conditions are uses.
MERGE INTO dwd_user AS t USING ods_users AS s ON t.user_id = s.user_id AND s.ds = '2024-01-01'
WHEN MATCHED AND s.user_name IS NOT NULL THEN UPDATE SET user_name = s.user_name, gender = s.gender
WHEN NOT MATCHED THEN INSERT (user_id, user_name, gender) VALUES (s.user_id, s.user_name, s.gender);
