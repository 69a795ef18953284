--odps sql
--********************************************************************--
--author: data_team
--create time: 2026-11-02 09:30:12
--********************************************************************--
-- Expected, by hand, statement by statement:
-- 1-2 SET: no lineage.
-- 3 @base := reads 1902_ods.ods_order_di (digit-leading project); @base is a
--   script variable, not a table.
-- 4 CREATE TABLE tmp_order_${bizdate} ... AS: reads dim.dim_sku; created and
--   dropped in statement 7, so it is in neither set.
-- 5 multi-insert from @base joined to tmp_order_${bizdate}: outputs
--   dws.dws_order_1d (two partitions) and dws.dws_order_user_1d; the
--   subquery reads dim.dim_blacklist. Columns named order/sort/window are
--   columns. MAX_PT('dim.dim_blacklist_hist') is a string.
-- 6 data check SELECT: reads dws.dws_order_1d.
-- 7 DROP: no lineage.
-- Inputs: 1902_ods.ods_order_di, dim.dim_blacklist, dim.dim_sku, dws.dws_order_1d.
-- Outputs: dws.dws_order_1d, dws.dws_order_user_1d.
set odps.sql.allow.fullscan=true;
SET odps.sql.hive.compatible = true;
@base := SELECT o.order_id, o.user_id, o.sku_id, o.amount, o.order, o.sort
  FROM 1902_ods.ods_order_di o--all orders of the day
  WHERE o.ds = '${bizdate}';
CREATE TABLE IF NOT EXISTS tmp_order_${bizdate} LIFECYCLE 1 AS
SELECT s.sku_id, s.category FROM dim.dim_sku s WHERE s.ds = MAX_PT('dim.dim_sku');
FROM (
  SELECT b.*, t.category, row_number() OVER (PARTITION BY b.user_id ORDER BY b.amount DESC) AS window
  FROM @base b JOIN tmp_order_${bizdate} t ON b.sku_id = t.sku_id
  WHERE b.user_id NOT IN (SELECT user_id FROM dim.dim_blacklist WHERE ds = MAX_PT('dim.dim_blacklist_hist'))
) x
INSERT OVERWRITE TABLE dws.dws_order_1d PARTITION (ds='${bizdate}', tp='all')
  SELECT x.category, sum(x.amount) GROUP BY x.category
INSERT OVERWRITE TABLE dws.dws_order_1d PARTITION (ds='${bizdate}', tp='top')
  SELECT x.category, sum(x.amount) WHERE x.window = 1 GROUP BY x.category
INSERT OVERWRITE TABLE dws.dws_order_user_1d PARTITION (ds='${bizdate}')
  SELECT x.user_id, x.order, x.sort, count(1) GROUP BY x.user_id, x.order, x.sort;
SELECT count(1) AS cnt FROM dws.dws_order_1d WHERE ds = '${bizdate}' HAVING count(1) > 0;
DROP TABLE IF EXISTS tmp_order_${bizdate};
