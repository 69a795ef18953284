-- An aggregate under other functions is still an aggregation.
INSERT OVERWRITE TABLE rpt_user_shops SELECT user_id, concat_ws(',', collect_set(shop_id)) AS shops, size(collect_list(order_id)) n FROM ods_orders GROUP BY user_id;
