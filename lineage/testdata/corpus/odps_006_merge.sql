MERGE INTO dw.dim_member AS t
USING (
    SELECT member_id, member_level, update_time
    FROM ods.ods_member_delta
    WHERE ds = '${bizdate}'
) AS s
ON t.member_id = s.member_id
WHEN MATCHED AND s.update_time > t.update_time THEN
    UPDATE SET t.member_level = s.member_level, t.update_time = s.update_time
WHEN NOT MATCHED THEN
    INSERT VALUES (s.member_id, s.member_level, s.update_time);
