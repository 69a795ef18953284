-- FROM ... SELECT written first, inside an INSERT.
INSERT OVERWRITE TABLE rpt_shop_cat FROM dim_shop s SELECT s.shop_id, upper(s.category) AS cat;
