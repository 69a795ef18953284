INSERT OVERWRITE TABLE dws_fact_dim
SELECT /*+ MAPJOIN(dim_small, dim_other) */ f.id, d.name
FROM dwd_fact f JOIN dim_small d ON f.k = d.k;
