-- zipper table: close changed rows and append new versions
INSERT OVERWRITE TABLE dw.dim_user_zipper
SELECT * FROM (
    SELECT z.user_id, z.level, z.start_date,
           CASE WHEN z.end_date = '99991231' AND d.user_id IS NOT NULL THEN '${bizdate}' ELSE z.end_date END AS end_date
    FROM dw.dim_user_zipper z
    LEFT JOIN (SELECT user_id FROM ods.ods_user_delta_di WHERE ds = '${bizdate}') d
    ON z.user_id = d.user_id
    UNION ALL
    SELECT user_id, level, '${bizdate}' AS start_date, '99991231' AS end_date
    FROM ods.ods_user_delta_di
    WHERE ds = '${bizdate}'
) t;
