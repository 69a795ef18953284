-- Expected, by hand: the spec's raw answer "prepends no default project and
-- resolves nothing", so USE changes no name: after USE analytics, bare names
-- stay bare (orders_clean, staging_orders) and qualified ones stay as written
-- (ods.users). The second USE changes nothing either.
-- Inputs: staging_orders, ods.users, orders_clean (read by the second insert).
-- Outputs: orders_clean, report.daily_orders.
USE analytics;
SET hive.exec.dynamic.partition.mode=nonstrict;
INSERT OVERWRITE TABLE orders_clean PARTITION (dt)
SELECT o.*, o.dt FROM staging_orders o JOIN ods.users u ON o.user_id = u.id WHERE o.amount > 0;
USE report;
INSERT OVERWRITE TABLE report.daily_orders
SELECT dt, count(*) FROM orders_clean GROUP BY dt;
