-- Hive multi-insert with ${hiveconf:...}; the second target's schema is unknown.
FROM ods_log l
INSERT OVERWRITE TABLE dwd_log_event PARTITION (ds='${hiveconf:ds}') SELECT l.user_id, l.event, 'ts', l.ts
INSERT OVERWRITE TABLE rpt_event_cnt SELECT l.event, count(*) AS cnt GROUP BY l.event;
