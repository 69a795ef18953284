INSERT OVERWRITE TABLE dws_orders_union
SELECT src, COUNT(*) FROM (
    SELECT 'a' AS src, order_id FROM ods_orders_a
    UNION ALL
    SELECT 'b' AS src, order_id FROM ods_orders_b
) u GROUP BY src;
