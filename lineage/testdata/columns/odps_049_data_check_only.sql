-- A standalone SELECT reads but writes no column.
SELECT COUNT(*) FROM ods_orders WHERE ds='${bizdate}';
