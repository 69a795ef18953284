-- Expected, by hand: WITH ... INSERT, and WITH ... FROM cte INSERT ... INSERT
-- (a multi-insert whose source is a CTE). CTE names (base, agg) are not
-- tables; the tables their bodies read are.
-- Inputs: ods.page_view, dim.dim_page. Outputs: dw.pv_by_page, dw.pv_by_hour,
-- dw.pv_top_pages.
WITH base AS (
  SELECT pv.page_id, pv.hh, pv.user_id
  FROM ods.page_view pv WHERE pv.dt = '${hivevar:dt}'
), agg AS (
  SELECT b.page_id, count(*) AS pv FROM base b GROUP BY b.page_id
)
INSERT OVERWRITE TABLE dw.pv_top_pages PARTITION (dt='${hivevar:dt}')
SELECT a.page_id, p.title, a.pv FROM agg a JOIN dim.dim_page p ON a.page_id = p.page_id
ORDER BY a.pv DESC LIMIT 100;

WITH base AS (SELECT page_id, hh FROM ods.page_view WHERE dt = '${hivevar:dt}')
FROM base
INSERT OVERWRITE TABLE dw.pv_by_page PARTITION (dt='${hivevar:dt}') SELECT page_id, count(*) GROUP BY page_id
INSERT OVERWRITE TABLE dw.pv_by_hour PARTITION (dt='${hivevar:dt}') SELECT hh, count(*) GROUP BY hh;
