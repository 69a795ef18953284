INSERT OVERWRITE TABLE dws_ab
SELECT dim_b.x, dim_a.y
FROM dim_a dim_b
JOIN dim_b dim_a ON dim_b.id = dim_a.id;
