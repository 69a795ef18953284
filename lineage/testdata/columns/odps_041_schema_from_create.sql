-- The CREATE TABLE earlier in the script gives rpt_gender's schema: not assumed.
CREATE TABLE IF NOT EXISTS rpt_gender (gender STRING, user_cnt BIGINT) PARTITIONED BY (ds STRING);
INSERT OVERWRITE TABLE rpt_gender PARTITION (ds='${bizdate}') SELECT gender, COUNT(*) FROM ods_users GROUP BY gender;
