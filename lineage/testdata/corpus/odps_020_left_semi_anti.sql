INSERT OVERWRITE TABLE ads.ads_buyer_list PARTITION (ds='${bizdate}')
SELECT u.user_id, u.nick
FROM dw.dim_user_df u
LEFT SEMI JOIN dw.dwd_order_di o ON u.user_id = o.buyer_id AND o.ds = '${bizdate}'
LEFT ANTI JOIN dw.dim_test_user t ON u.user_id = t.user_id
WHERE u.ds = '${bizdate}';
