WITH c AS (SELECT ad, count(*) n FROM ods.clicks GROUP BY ad),
     i AS (SELECT ad, count(*) n FROM ods.impressions GROUP BY ad),
     r AS (SELECT i.ad, c.n / i.n AS ctr FROM i LEFT JOIN c ON i.ad = c.ad)
INSERT OVERWRITE TABLE dw.ctr_daily PARTITION (dt = '${dt}')
SELECT * FROM r;
