FROM (SELECT * FROM ods.web_logs WHERE dt = '${dt}') l
INSERT OVERWRITE TABLE dw.errors_4xx SELECT l.url, count(*) WHERE l.status >= 400 AND l.status < 500 GROUP BY l.url
INSERT OVERWRITE TABLE dw.errors_5xx SELECT l.url, count(*) WHERE l.status >= 500 GROUP BY l.url;
