INSERT OVERWRITE TABLE dwd_coupon_used_di PARTITION (ds='${bizdate}')
SELECT u.coupon_id, u.user_id, u.use_time
FROM ods_coupon_use_di u
WHERE u.ds = '${bizdate}'
  AND EXISTS (
      SELECT 1 FROM ods_coupon_issue_di i
      WHERE i.coupon_id = u.coupon_id AND i.ds <= '${bizdate}'
  );
