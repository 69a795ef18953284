DROP TABLE IF EXISTS dw.dwd_rebuild;
CREATE TABLE dw.dwd_rebuild LIFECYCLE 30 AS SELECT * FROM ods.ods_src;
