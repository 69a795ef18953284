-- Spark SQL: profile snapshot with nested types
INSERT INTO dws_user_profile_snapshot
SELECT
  p.uid,
  named_struct('city', p.address.city, 'zip', p.address.zip) AS addr,
  array_distinct(concat(p.phones, array(o.mobile))) AS all_phones,
  transform(p.phones, x -> regexp_replace(x, '[^0-9]', '')) AS clean_phones,
  element_at(p.attrs, 'gender') AS gender,
  map_keys(p.attrs) AS attr_keys,
  current_timestamp() AS etl_time
FROM ods_user_profile p
LEFT JOIN ods_crm_member o
  ON CAST(p.uid AS STRING) = o.member_id AND o.ds = '${bizdate}';
