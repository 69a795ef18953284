-- Delta upsert of the day's member changes, then normalise level codes
MERGE INTO dwd_member_delta t
USING (
  SELECT member_id, mobile, level_code, updated_at,
         row_number() OVER (PARTITION BY member_id ORDER BY updated_at DESC) AS rn
  FROM ods_crm_member
  WHERE ds = '${bizdate}'
) s
ON t.member_id = s.member_id AND s.rn = 1
WHEN MATCHED AND s.updated_at > t.updated_at THEN
  UPDATE SET t.mobile = s.mobile, t.level_code = s.level_code, t.updated_at = s.updated_at
WHEN NOT MATCHED AND s.rn = 1 THEN
  INSERT (member_id, mobile, level_code, updated_at) VALUES (s.member_id, s.mobile, s.level_code, s.updated_at);

UPDATE dwd_member_delta SET level_code = upper(trim(level_code)) WHERE level_code <> upper(trim(level_code));
