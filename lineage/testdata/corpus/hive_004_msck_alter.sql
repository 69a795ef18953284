MSCK REPAIR TABLE ods.ods_external_events;
ALTER TABLE ods.ods_external_events ADD IF NOT EXISTS PARTITION (dt='${dt}') LOCATION '/data/events/${dt}';
