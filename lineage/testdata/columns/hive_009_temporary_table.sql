-- A TEMPORARY table is followed through to ods_orders.
CREATE TEMPORARY TABLE tmp_paid AS SELECT order_id, user_id, price FROM ods_orders WHERE status = 'PAID';
INSERT OVERWRITE TABLE rpt_user_paid SELECT user_id, sum(price) AS paid FROM tmp_paid GROUP BY user_id;
