-- The second LATERAL VIEW explodes the first's column.
INSERT OVERWRITE TABLE rpt_kv
SELECT l.log_id, k1.k, k2.v FROM ods_log l
LATERAL VIEW OUTER explode(split(l.params, '&')) k1 AS k
LATERAL VIEW explode(split(k1.k, '=')) k2 AS v;
