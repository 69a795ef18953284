INSERT OVERWRITE TABLE dw.dwd_a
WITH base AS (SELECT id, v FROM ods.ods_a)
SELECT id, v FROM base;
