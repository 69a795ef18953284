-- CASE condition columns are sources; GETDATE() adds none.
INSERT OVERWRITE TABLE dwd_user PARTITION (ds='${bizdate}')
SELECT t.user_id, t.user_name, t.gender, t.age, c.city_name
FROM (
  SELECT user_id, user_name, CASE WHEN gender = 1 THEN 'M' ELSE 'F' END AS gender,
         DATEDIFF(GETDATE(), birthday, 'yyyy') AS age, city_id
  FROM ods_users WHERE ds = '${bizdate}'
) t LEFT OUTER JOIN dim_city c ON t.city_id = c.city_id;
