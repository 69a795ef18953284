-- Spark SQL: members active on the app who also paid through the mini program, minus blocked ones, plus the manual whitelist
INSERT OVERWRITE TABLE ads_member_omni
SELECT user_id AS member_id FROM ods_app_log WHERE ds = '${bizdate}'
INTERSECT
SELECT buyer_id FROM ods_trade_order WHERE ds = '${bizdate}' AND channel = 'mini'
EXCEPT
SELECT member_id FROM ods_member_blocklist
UNION ALL
SELECT member_id FROM ods_member_whitelist;
