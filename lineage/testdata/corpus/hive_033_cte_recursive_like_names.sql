WITH events AS (SELECT user_id, min(ts) AS ts FROM dw.events GROUP BY user_id)
INSERT OVERWRITE TABLE dw.first_events SELECT * FROM events;
