WITH s AS (
  SELECT product_id, sum(amount) AS amount FROM dw.fact_sales WHERE dt = '${dt}' GROUP BY product_id
)
INSERT OVERWRITE TABLE dw.agg_sales_category PARTITION (dt='${dt}')
SELECT p.category, sum(s.amount) FROM s JOIN dw.dim_product p ON s.product_id = p.id GROUP BY p.category;
