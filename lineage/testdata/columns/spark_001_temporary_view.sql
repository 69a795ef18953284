-- A TEMPORARY VIEW is followed like a CTE.
CREATE OR REPLACE TEMPORARY VIEW v_paid AS SELECT order_id, shop_id, price * qty AS amt FROM ods_orders WHERE status = 'PAID';
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds = '2024-01-01')
SELECT shop_id, NULL, sum(amt), count(order_id), 0 FROM v_paid GROUP BY shop_id;
