INSERT OVERWRITE TABLE dwd_xy
SELECT * FROM (
    (SELECT id FROM ods_x)
    UNION ALL
    (SELECT id FROM ods_y)
) t;
