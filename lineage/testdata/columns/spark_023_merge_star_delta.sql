-- Delta: apply today's customer changes to the lake copy (its schema is managed by Delta, not declared here)
MERGE INTO lake.customer_current AS t
USING stg_customer AS s
ON t.customer_id = s.customer_id
WHEN MATCHED AND s.op = 'D' THEN DELETE
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT *;
