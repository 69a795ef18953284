INSERT OVERWRITE TABLE dwd_ab_di PARTITION (ds='${bizdate}')
SELECT a.id, b.val
FROM ods_a_di a, ods_b_di b
WHERE a.id = b.id AND a.ds = '${bizdate}' AND b.ds = '${bizdate}';
