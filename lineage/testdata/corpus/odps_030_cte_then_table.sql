WITH stats AS (SELECT k, COUNT(*) c FROM ods.src_x GROUP BY k)
INSERT OVERWRITE TABLE dw.tgt_a SELECT * FROM stats;
-- different statement: stats here is a real table
INSERT OVERWRITE TABLE dw.tgt_b SELECT * FROM stats;
