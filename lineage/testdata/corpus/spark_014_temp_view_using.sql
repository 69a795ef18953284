CREATE TEMPORARY VIEW raw_files USING parquet OPTIONS (path '/data/raw/${dt}');
INSERT OVERWRITE TABLE dw.parquet_copy SELECT * FROM raw_files;
SELECT count(*) FROM dw.parquet_copy;
