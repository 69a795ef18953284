-- Expected, by hand: CREATE TABLE t STORED AS ORC SELECT ... (no AS before
-- the query; the AS of STORED AS is the format's). Also ROW FORMAT and WITH
-- SERDEPROPERTIES clauses, which are not a WITH query. The column-list-only
-- table tmp.t_sink_def has no lineage.
-- Inputs: ods.clicks, ods.views. Outputs: dw.clicks_orc, dw.views_text.
CREATE TABLE dw.clicks_orc STORED AS ORC TBLPROPERTIES ('orc.compress'='SNAPPY')
SELECT user_id, url FROM ods.clicks WHERE dt = '${hivevar:dt}';

CREATE TABLE dw.views_text
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'
WITH SERDEPROPERTIES ('field.delim' = '\t')
STORED AS TEXTFILE
SELECT * FROM ods.views;

CREATE TABLE IF NOT EXISTS tmp.t_sink_def (a STRING, b BIGINT)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
WITH SERDEPROPERTIES ('serialization.null.format' = '')
STORED AS TEXTFILE;
