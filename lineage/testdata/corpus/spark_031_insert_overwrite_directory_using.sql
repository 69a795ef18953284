INSERT OVERWRITE DIRECTORY '/exports/${dt}' USING parquet
SELECT * FROM dw.exports WHERE dt = '${dt}';
