DELETE FROM dw.dim_customer
WHERE customer_id IN (SELECT customer_id FROM ods.ods_gdpr_request WHERE ds = '${bizdate}');
