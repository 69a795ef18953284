-- A named column of an unknown-schema star is that table's column.
WITH r AS (SELECT * FROM ods_raw_pay WHERE ds = '${bizdate}')
INSERT OVERWRITE TABLE dwd_pay PARTITION (ds='${bizdate}') SELECT r.pay_id, r.amount / 100 AS amount_yuan FROM r;
