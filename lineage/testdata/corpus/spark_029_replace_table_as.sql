CREATE OR REPLACE TABLE dw.replaced_tbl USING delta AS SELECT * FROM dw.source_tbl;
