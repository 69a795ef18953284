-- Expected, by hand: columns named by reserved words, qualified (t.order,
-- t.from, t.select, t.group) or not (sort, limit, offset, window), are
-- columns; none ends the select list or starts a clause, and no table hides
-- behind them. ORDER BY sort at the end is a real clause.
-- Inputs: ods.ods_kafka_msg (FROM), dim.dim_topic (JOIN), ods.ods_kafka_offset
-- (subquery in WHERE). Output: dwd.dwd_kafka_msg.
INSERT OVERWRITE TABLE dwd.dwd_kafka_msg PARTITION (ds='${bizdate}')
SELECT t.order, t.from, t.select AS sel, t.group, sort, limit, offset, window, d.topic_name
FROM ods.ods_kafka_msg t
JOIN dim.dim_topic d ON t.topic = d.topic AND d.order = 1
WHERE t.ds = '${bizdate}'
  AND offset > (SELECT max(offset) FROM ods.ods_kafka_offset WHERE ds = '${yesterday}')
ORDER BY sort
LIMIT 100000;
