-- MaxCompute's ZORDER BY after an INSERT's query, and columns named as clause keywords (sort, cluster,
-- window): a keyword begins its clause only where the clause can (SORT BY, CLUSTER BY, WINDOW w AS).
INSERT OVERWRITE TABLE dws_shop_day PARTITION (ds='20240101') (shop_id, shop_name, gmv)
SELECT sort, cluster, window FROM ods_rank WHERE sort > 0 ZORDER BY sort, cluster;
