MERGE INTO dw.dim_sku_price t
USING ods.ods_sku_price_di s
ON t.sku_id = s.sku_id AND s.ds = '${bizdate}'
WHEN MATCHED THEN UPDATE SET price = s.price
WHEN NOT MATCHED THEN INSERT (sku_id, price) VALUES (s.sku_id, s.price);
