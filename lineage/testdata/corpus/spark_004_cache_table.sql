CACHE TABLE hot AS SELECT * FROM dw.big WHERE dt = '${dt}';
INSERT OVERWRITE TABLE dw.big_summary SELECT k, count(*) FROM hot GROUP BY k;
UNCACHE TABLE hot;
