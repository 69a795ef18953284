CREATE OR REPLACE TEMPORARY VIEW o AS
SELECT * FROM ods.orders WHERE dt = '${dt}';
CREATE OR REPLACE TEMP VIEW i AS
SELECT * FROM ods.items;
INSERT OVERWRITE TABLE dw.order_items PARTITION (dt = '${dt}')
SELECT o.id, i.name FROM o JOIN i ON o.item_id = i.id;
