INSERT OVERWRITE TABLE dw.dws_status_name
SELECT l.status, m.name, COUNT(*)
FROM dw.dwd_status_log l
JOIN (SELECT * FROM VALUES (1, 'created'), (2, 'paid'), (3, 'shipped') t(code, name)) m
  ON l.status = m.code
GROUP BY l.status, m.name;
