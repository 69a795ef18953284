-- Two levels of derived tables, renames on the way.
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='${bizdate}')
SELECT x.sid, x.sname, x.total, x.n, x.u FROM (
  SELECT y.shop_id AS sid, y.shop_name AS sname, SUM(y.amt) AS total, COUNT(*) AS n, COUNT(DISTINCT y.uid) AS u FROM (
    SELECT o.shop_id, s.shop_name, o.price * o.qty AS amt, o.user_id AS uid FROM ods_orders o JOIN dim_shop s ON o.shop_id = s.shop_id
  ) y GROUP BY y.shop_id, y.shop_name
) x;
