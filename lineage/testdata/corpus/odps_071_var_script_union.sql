@a := SELECT k, v FROM ods_a;
@b := SELECT k, v FROM ods_b;
@u := SELECT * FROM @a UNION ALL SELECT * FROM @b;
INSERT OVERWRITE TABLE ads_k_total
SELECT d.k_name, SUM(u.v) FROM @u u JOIN dim_k d ON u.k = d.k GROUP BY d.k_name;
