CREATE VIEW IF NOT EXISTS tmp_v_order AS SELECT order_id, ds FROM dw.dwd_order_di;
INSERT OVERWRITE TABLE ads.ads_order_cnt SELECT ds, COUNT(*) FROM tmp_v_order GROUP BY ds;
DROP VIEW IF EXISTS tmp_v_order;
