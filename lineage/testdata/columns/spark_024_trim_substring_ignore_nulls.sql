-- Spark SQL: clean member names and carry the last known level forward per member
INSERT OVERWRITE TABLE dwd_member_clean
SELECT member_id,
       trim(BOTH '"' FROM raw_name) AS member_name,
       substring(mobile FROM 1 FOR 3) AS mobile_prefix,
       last_value(level_code) IGNORE NULLS OVER (PARTITION BY member_id ORDER BY updated_at
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS level_code_filled,
       updated_at
FROM ods_member_change_log;
