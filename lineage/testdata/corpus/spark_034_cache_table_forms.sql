-- Expected, by hand: CACHE [LAZY] TABLE c [OPTIONS (...)] [AS] query makes a
-- session object (spec: like a temporary view): c1 and c2 are neither inputs
-- nor outputs, the tables read to build them are inputs. CACHE TABLE of an
-- existing table (dw.dim_geo) and UNCACHE have no lineage.
-- Inputs: dw.fact_orders, dw.fact_refunds. Output: dw.order_refund_daily.
CACHE TABLE c1 AS SELECT * FROM dw.fact_orders WHERE dt = '${dt}';
CACHE LAZY TABLE c2 OPTIONS ('storageLevel' 'DISK_ONLY') SELECT * FROM dw.fact_refunds WHERE dt = '${dt}';
CACHE TABLE dw.dim_geo;
INSERT OVERWRITE TABLE dw.order_refund_daily
SELECT c1.order_id, c2.refund_amount FROM c1 LEFT JOIN c2 ON c1.order_id = c2.order_id;
UNCACHE TABLE IF EXISTS c1;
