-- Expected, by hand: scheduler variables inside names are kept verbatim (spec:
-- "a name containing one is reported verbatim", the text inside ${...} keeping
-- its case), lower-cased outside: ODS_${env}.T -> ods_${env}.t.
-- Partition specs with variables, quoted or not, name no table.
-- Inputs: ods_${env}.t_order_${bizdate}, ${dim_project}.dim_user, ods_${env}.t_pay.
-- Outputs: dwd_${env}.dwd_order_${bizdate} and ${tmp_prefix}_order_stat.
INSERT OVERWRITE TABLE dwd_${env}.dwd_order_${bizdate} PARTITION (ds='${bizdate}', hh=${hour})
SELECT o.order_id, u.user_name
FROM ODS_${env}.T_ORDER_${bizdate} o
JOIN ${dim_project}.dim_user u ON o.user_id = u.user_id AND u.ds = '${yesterday}'
WHERE o.ds = ${bizdate};

CREATE TABLE IF NOT EXISTS ${tmp_prefix}_order_stat LIFECYCLE 7 AS
SELECT p.order_id, sum(p.amount) AS amount
FROM ods_${env}.t_pay p
WHERE p.ds BETWEEN '${bizdate_7}' AND '${bizdate}'
GROUP BY p.order_id;
