INSERT OVERWRITE TABLE dim_latest_price
SELECT sku_id, price
FROM (
    SELECT sku_id, price, ROW_NUMBER() OVER (PARTITION BY sku_id ORDER BY change_time DESC) rn
    FROM dwd_price_change_di
    WHERE ds <= '${bizdate}'
) t
WHERE t.rn = 1;
