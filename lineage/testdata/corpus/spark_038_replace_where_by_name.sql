-- Expected, by hand: Delta's INSERT INTO t REPLACE WHERE cond query; the
-- condition's subquery reads dw.reload_days; then INSERT ... BY NAME and
-- WITH ... INSERT OVERWRITE. `recent` is a CTE.
-- Inputs: raw.events, dw.reload_days, raw.events_late.
-- Outputs: dw.events.
INSERT INTO dw.events REPLACE WHERE dt IN (SELECT dt FROM dw.reload_days)
SELECT * FROM raw.events WHERE dt >= '${start_dt}';

INSERT INTO dw.events BY NAME
SELECT event_id, dt, payload FROM raw.events_late WHERE dt = '${dt}';

WITH recent AS (SELECT * FROM dw.events WHERE dt >= date_sub(current_date(), 7))
INSERT OVERWRITE dw.events
SELECT * FROM recent;
