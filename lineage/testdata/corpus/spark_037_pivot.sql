-- Expected, by hand: PIVOT turns the rows of dw.sales, and p is the
-- alias of the pivoted relation, no table; the JOIN after it is read.
-- Inputs: dw.sales (FROM, pivoted), dw.dim_store (JOIN after the pivot),
-- dw.sales_targets (statement 2). Outputs: ads.sales_by_quarter,
-- ads.target_gap.
INSERT OVERWRITE TABLE ads.sales_by_quarter
SELECT p.*, s.store_name
FROM dw.sales
PIVOT (sum(amount) FOR quarter IN ('Q1' AS q1, 'Q2' AS q2, 'Q3' AS q3, 'Q4' AS q4)) p
JOIN dw.dim_store s ON p.store_id = s.store_id;

INSERT OVERWRITE TABLE ads.target_gap
SELECT t.store_id, t.target - q.q1 AS gap
FROM dw.sales_targets t JOIN ads.sales_by_quarter q ON t.store_id = q.store_id;
