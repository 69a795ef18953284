-- Spark SQL: rebuild the member dimension from the latest record of each member
CREATE OR REPLACE TEMPORARY VIEW member_latest AS
SELECT member_id, mobile, level_code, register_time
FROM (
  SELECT *, row_number() OVER (PARTITION BY member_id ORDER BY updated_at DESC) AS rn
  FROM ods_crm_member
  WHERE ds <= '${bizdate}'
) WHERE rn = 1;

INSERT OVERWRITE TABLE dim_member
SELECT m.member_id,
       sha2(m.mobile, 256) AS mobile_md5,
       coalesce(l.level_name, 'unknown') AS level_name,
       date_format(to_timestamp(m.register_time), 'yyyy-MM-dd') AS register_date,
       CAST(m.level_code IN ('L3', 'L4') AS BIGINT) AS is_vip,
       CAST(current_date() AS STRING) AS updated_at
FROM member_latest m
LEFT JOIN dim_member_level l ON m.level_code = l.level_code;
