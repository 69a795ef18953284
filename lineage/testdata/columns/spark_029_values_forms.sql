-- Spark's inline tables: VALUES as a query, its columns named by an alias,
-- and rows without parentheses. They are constants, no tables.
CREATE OR REPLACE TEMPORARY VIEW status_map AS
VALUES ('PAID', 'paid'), ('REFUND', 'refunded') AS m(code, label);

WITH buckets AS (VALUES 0, 1, 2 b(bucket))
INSERT OVERWRITE TABLE rpt_order_status
SELECT o.order_id, m.label, b.bucket
FROM dwd_orders o
JOIN status_map m ON o.status = m.code
CROSS JOIN buckets b
WHERE o.ds = '${bizdate}';
