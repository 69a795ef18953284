-- A column regex (MaxCompute and Hive): `(a|b)?+.+` selects every column but a and b, the idiom for "all but
-- the partition columns"; on a table of unknown columns it stands for all of them, as a star does.
INSERT OVERWRITE TABLE dwd_orders PARTITION (ds='20240101')
SELECT `(qty|extra|ds)?+.+` FROM ods_orders WHERE ds = '20240101';
INSERT OVERWRITE TABLE ods_feed_copy SELECT f.`(ds|hh)?+.+` FROM ods_feed f;
