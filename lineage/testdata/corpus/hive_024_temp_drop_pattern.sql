DROP TABLE IF EXISTS dw.stage_ab;
CREATE TABLE dw.stage_ab AS SELECT a.k, b.v FROM ods.src_a a JOIN ods.src_b b ON a.k = b.k;
INSERT OVERWRITE TABLE dw.target_ab SELECT k, v FROM dw.stage_ab;
DROP TABLE dw.stage_ab;
