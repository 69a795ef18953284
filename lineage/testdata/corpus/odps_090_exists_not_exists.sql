INSERT OVERWRITE TABLE ads.ads_clean_buyer
SELECT u.user_id FROM dw.dim_user u
WHERE EXISTS (SELECT 1 FROM dw.dwd_order o WHERE o.buyer_id = u.user_id)
  AND NOT EXISTS (SELECT 1 FROM dw.dwd_refund r WHERE r.buyer_id = u.user_id);
