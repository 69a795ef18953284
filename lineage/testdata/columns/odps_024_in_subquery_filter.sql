-- The IN subquery filters: ods_orders is an input but no column source.
INSERT OVERWRITE TABLE dwd_user PARTITION (ds='${bizdate}')
SELECT user_id, user_name, gender, 0, '' FROM ods_users
WHERE ds = '${bizdate}' AND user_id IN (SELECT user_id FROM ods_orders WHERE ds = '${bizdate}');
