-- Expected, by hand: MERGE INTO target USING (subquery) with a CTE inside
-- the subquery, and a second MERGE with a plain table source. The target is
-- an output only (spec: "A DML target is not an input merely for being the
-- target"), the USING sources and their reads are inputs. `s`, `t`, `latest`
-- are aliases / CTE names.
-- Inputs: stg.customer_changes, stg.customer_deletes, dw.dim_region.
-- Outputs: dw.dim_customer.
MERGE INTO dw.dim_customer t
USING (
  WITH latest AS (
    SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) AS rn
    FROM stg.customer_changes WHERE dt = '${dt}'
  )
  SELECT l.*, r.region_name FROM latest l JOIN dw.dim_region r ON l.region_id = r.region_id WHERE l.rn = 1
) s
ON t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET t.name = s.name, t.region_name = s.region_name
WHEN NOT MATCHED THEN INSERT (customer_id, name, region_name) VALUES (s.customer_id, s.name, s.region_name);

MERGE INTO dw.dim_customer AS t
USING stg.customer_deletes AS d
ON t.customer_id = d.customer_id
WHEN MATCHED THEN DELETE;
