-- An ODPS script table variable is followed like a CTE.
@paid := SELECT shop_id, user_id, price FROM ods_orders WHERE ds = '${bizdate}' AND status = 'PAID';
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT shop_id, '', SUM(price), COUNT(*), COUNT(DISTINCT user_id) FROM @paid GROUP BY shop_id;
