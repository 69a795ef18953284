CREATE EXTERNAL TABLE IF NOT EXISTS ods.ods_events (
  event_id STRING,
  payload STRING COMMENT 'json; select from here'
)
PARTITIONED BY (dt STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS TEXTFILE
LOCATION '/data/events';
