-- json_tuple's key arguments are constants; only u.tags is a source. CAST keeps the kind.
INSERT OVERWRITE TABLE dwd_user PARTITION (ds='${bizdate}')
SELECT u.user_id, j.name, j.sex, CAST(j.age AS BIGINT), 'unknown'
FROM ods_users u LATERAL VIEW JSON_TUPLE(u.tags, 'name', 'sex', 'age') j AS name, sex, age;
