-- OPTIONS and TBLPROPERTIES are key-value lists, whatever their keys: the
-- first parenthesised list after the name is no list of columns then.
CREATE TABLE rpt_shop_snapshot USING parquet
OPTIONS (path '/warehouse/rpt_shop_snapshot', from '2024-01-01', compression 'zstd')
AS SELECT shop_id, shop_name FROM dim_shop;

CREATE OR REPLACE VIEW v_shop_city TBLPROPERTIES ('comment' = 'from dim_city') AS
SELECT s.shop_id, c.city_name FROM dim_shop s JOIN dim_city c ON s.city_id = c.city_id;
