-- Expected, by hand: Spark's CREATE TABLE ... [AS] query makes AS optional.
-- Each CREATE below writes its table from the query after its clauses
-- (USING, PARTITIONED BY, OPTIONS, LOCATION, TBLPROPERTIES, a column list).
-- Inputs: raw.events, raw.users, raw.sessions, raw.orders (in a WITH),
-- raw.refunds (a parenthesised query).
-- Outputs: dw.events_pq, dw.users_delta, dw.sessions_csv, dw.orders_enriched,
-- dw.refunds_pq.
CREATE TABLE dw.events_pq USING PARQUET
SELECT * FROM raw.events WHERE dt = '${dt}';

CREATE TABLE IF NOT EXISTS dw.users_delta (user_id BIGINT, name STRING, dt STRING)
USING delta PARTITIONED BY (dt)
SELECT user_id, name, dt FROM raw.users;

CREATE OR REPLACE TABLE dw.sessions_csv
USING csv OPTIONS (header 'true', sep ',') LOCATION '/warehouse/sessions'
TBLPROPERTIES ('owner' = 'etl')
SELECT session_id, user_id FROM raw.sessions;

CREATE TABLE dw.orders_enriched USING delta
WITH o AS (SELECT * FROM raw.orders WHERE amount > 0)
SELECT o.*, current_date() AS load_date FROM o;

CREATE TABLE dw.refunds_pq USING parquet
(SELECT refund_id, amount FROM raw.refunds);
