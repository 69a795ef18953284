INSERT OVERWRITE TABLE dw.account_days
SELECT a.id, d.id AS day_offset FROM dw.accounts a CROSS JOIN range(0, 30) d;
