-- Each branch casts a column: still direct; the constant column is constant.
INSERT OVERWRITE TABLE rpt_ids_typed SELECT CAST(user_id AS BIGINT) AS id, 'user' AS typ FROM ods_users UNION ALL SELECT CAST(shop_id AS BIGINT), 'shop' FROM dim_shop;
