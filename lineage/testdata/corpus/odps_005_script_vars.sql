-- ODPS script mode
@pay := SELECT pay_id, channel_id, amount
        FROM ods_pay_flow_di
        WHERE ds = '${bizdate}' AND status = 'SUCCESS';
@by_channel := SELECT p.channel_id, SUM(p.amount) AS amount, COUNT(*) AS cnt
               FROM @pay p
               GROUP BY p.channel_id;
INSERT OVERWRITE TABLE dws_channel_pay_1d PARTITION (ds='${bizdate}')
SELECT c.channel_name, b.amount, b.cnt
FROM @by_channel b
JOIN dim_channel c ON b.channel_id = c.channel_id;
