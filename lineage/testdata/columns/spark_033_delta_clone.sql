-- Delta's CLONE writes a new table from a source table, here as of a
-- version: its columns are the source's.
CREATE OR REPLACE TABLE dim_shop_bak SHALLOW CLONE dim_shop VERSION AS OF 5;
