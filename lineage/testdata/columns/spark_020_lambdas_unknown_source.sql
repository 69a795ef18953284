-- Spark SQL: order summary from the raw order events (schema owned by the ingestion job)
INSERT OVERWRITE TABLE dwd_order_line_summary PARTITION (dt = '${bizdate}')
SELECT order_id,
       size(filter(items, i -> i.qty > 0)) AS line_cnt,
       aggregate(transform(items, i -> i.qty * i.price), CAST(0 AS DECIMAL(18,2)), (acc, x) -> acc + x) AS order_amt,
       exists(items, i -> i.sku IS NULL) AS has_unknown_sku
FROM ods_raw_order_event
WHERE dt = '${bizdate}';
