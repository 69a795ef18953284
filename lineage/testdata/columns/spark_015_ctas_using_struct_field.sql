-- Spark SQL job: one row per user phone, Delta table partitioned by city
CREATE TABLE IF NOT EXISTS analytics.user_phone_book
USING delta
PARTITIONED BY (city)
COMMENT 'one row per user phone'
AS
WITH base AS (
  SELECT uid, name, phones, address.city AS city
  FROM ods_user_profile
  WHERE name IS NOT NULL
)
SELECT uid, upper(name) AS name, phone, size(phones) AS phone_cnt, city
FROM base
LATERAL VIEW explode(phones) p AS phone;
