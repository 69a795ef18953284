DROP TABLE IF EXISTS tmp_ad_click;
CREATE TABLE tmp_ad_click AS
WITH c AS (SELECT ad_id, COUNT(*) clicks FROM ods.ods_click_di WHERE ds = '${bizdate}' GROUP BY ad_id)
SELECT c.ad_id, c.clicks, a.impressions FROM c JOIN dim.dim_ad a ON c.ad_id = a.ad_id;
INSERT OVERWRITE TABLE ads.ads_ad_ctr PARTITION (ds='${bizdate}')
SELECT ad_id, clicks / impressions AS ctr FROM tmp_ad_click;
DROP TABLE tmp_ad_click;
