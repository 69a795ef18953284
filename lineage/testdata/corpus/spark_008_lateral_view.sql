INSERT OVERWRITE TABLE dw.session_events
SELECT s.session_id, e.event
FROM ods.sessions s
LATERAL VIEW OUTER explode(s.events) e AS event;
