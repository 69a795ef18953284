MERGE INTO dw.customers t
USING (SELECT * FROM staging.updates WHERE dt = '${dt}') s
ON t.id = s.id
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
