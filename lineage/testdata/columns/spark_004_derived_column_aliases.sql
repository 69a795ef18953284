-- Column aliases of a derived table rename its columns.
INSERT OVERWRITE TABLE rpt_pair SELECT t.a, upper(t.b) AS b FROM (SELECT shop_id, shop_name FROM dim_shop) AS t(a, b);
