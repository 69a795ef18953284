SET spark.sql.sources.partitionOverwriteMode=dynamic;
INSERT OVERWRITE TABLE dw.clicks_by_hour PARTITION (dt, hr)
SELECT url, count(*) AS n, dt, hr FROM ods.clicks GROUP BY url, dt, hr;
