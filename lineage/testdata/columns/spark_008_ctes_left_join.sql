-- COALESCE over a count(*): aggregation without sources.
WITH a AS (SELECT shop_id, count(*) AS n FROM ods_orders GROUP BY shop_id),
     b AS (SELECT shop_id, shop_name FROM dim_shop)
INSERT OVERWRITE TABLE rpt_shop_n SELECT b.shop_name, coalesce(a.n, 0) AS n FROM b LEFT JOIN a ON a.shop_id = b.shop_id;
