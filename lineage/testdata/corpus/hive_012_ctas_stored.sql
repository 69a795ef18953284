CREATE TABLE IF NOT EXISTS dw.fact_sales_orc
STORED AS ORC
TBLPROPERTIES ('orc.compress'='SNAPPY')
AS SELECT * FROM dw.fact_sales;
