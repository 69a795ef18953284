-- CTAS: the select list defines the new table's columns (not assumed). PARTITION BY is a use only.
CREATE TABLE IF NOT EXISTS ads_shop_rank LIFECYCLE 7 AS
SELECT shop_id, gmv, RANK() OVER (PARTITION BY ds ORDER BY gmv DESC) AS rk FROM dws_shop_day WHERE ds = '${bizdate}';
