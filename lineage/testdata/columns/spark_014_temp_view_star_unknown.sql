-- A temporary view over SELECT * of an unknown table: named columns are that table's.
CREATE TEMPORARY VIEW raw AS SELECT * FROM ods_raw_click;
INSERT OVERWRITE TABLE dwd_click SELECT click_id, upper(page) AS page FROM raw;
