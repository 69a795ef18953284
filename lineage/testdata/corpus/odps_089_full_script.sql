--odps sql
--********************************************************************--
--author: finance_dw
--purpose: net trade = trade - refund
--********************************************************************--
set odps.sql.allow.fullscan=false;

DROP TABLE IF EXISTS tmp_refund_${bizdate};
CREATE TABLE tmp_refund_${bizdate} LIFECYCLE 1 AS
SELECT order_id, SUM(refund_amount) AS refund_amount
FROM ods.ods_refund_di
WHERE ds = '${bizdate}'
GROUP BY order_id;

INSERT OVERWRITE TABLE dw.dwd_trade_net_di PARTITION (ds='${bizdate}')
SELECT t.order_id, t.shop_id, t.amount - NVL(r.refund_amount, 0) AS net_amount
FROM ods.ods_trade_di t
LEFT JOIN tmp_refund_${bizdate} r ON t.order_id = r.order_id
WHERE t.ds = '${bizdate}';

INSERT OVERWRITE TABLE ads.ads_shop_net_1d PARTITION (ds='${bizdate}')
SELECT s.shop_name, SUM(n.net_amount)
FROM dw.dwd_trade_net_di n
JOIN dim.dim_shop s ON n.shop_id = s.shop_id
WHERE n.ds = '${bizdate}'
GROUP BY s.shop_name;

DROP TABLE IF EXISTS tmp_refund_${bizdate};
