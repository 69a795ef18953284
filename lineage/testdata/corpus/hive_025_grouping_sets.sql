INSERT OVERWRITE TABLE dw.sales_cube
SELECT region, product, sum(amount), GROUPING__ID
FROM dw.sales
GROUP BY region, product GROUPING SETS ((region, product), region, ());
