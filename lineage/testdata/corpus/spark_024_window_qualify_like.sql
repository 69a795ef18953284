INSERT OVERWRITE TABLE dw.latest_prices
SELECT sku, price FROM (
  SELECT sku, price, row_number() OVER (PARTITION BY sku ORDER BY ts DESC) AS rn FROM dw.prices
) WHERE rn = 1;
