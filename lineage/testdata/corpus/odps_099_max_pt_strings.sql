-- Expected, by hand: MAX_PT('project.table') names a table inside a string
-- literal; the spec leaves out "any name that appears only in string
-- literals", so dim.dim_shop_hist and ods.ods_item_snapshot are not inputs.
-- Inputs: dim.dim_shop and ods.ods_item (the FROM tables, whose partitions
-- MAX_PT picks), dim.dim_city (joined).
-- Output: ads.ads_shop_item.
INSERT OVERWRITE TABLE ads.ads_shop_item PARTITION (ds='${bizdate}')
SELECT s.shop_id, i.item_id, c.city_name
FROM dim.dim_shop s
JOIN ods.ods_item i
  ON s.shop_id = i.shop_id AND i.ds = MAX_PT('ods.ods_item_snapshot')
LEFT JOIN dim.dim_city c ON s.city_id = c.city_id AND c.ds = max_pt("dim.dim_city")
WHERE s.ds = MAX_PT('dim.dim_shop_hist');
