INSERT OVERWRITE TABLE dwd_inventory_di PARTITION (ds='${bizdate}')
SELECT sku_id, warehouse_id, qty FROM ods_inventory_di WHERE ds = '${bizdate}';

INSERT OVERWRITE TABLE dws_inventory_1d PARTITION (ds='${bizdate}')
SELECT sku_id, SUM(qty) FROM dwd_inventory_di WHERE ds = '${bizdate}' GROUP BY sku_id;
