-- Expected, by hand: comments glued to names end the name and are dropped,
-- never read as part of it: `src_a--x` is src_a, `/*y*/src_b` is src_b,
-- `dw.dwd_out/*z*/` is dw.dwd_out. Table names in the comments themselves
-- (fake_*) are not tables.
-- Inputs: ods.src_a, ods.src_b, ods.src_c. Output: dw.dwd_out.
INSERT OVERWRITE TABLE dw.dwd_out/*z: was dw.fake_old_out*/ PARTITION (dt='${dt}')
SELECT a.id, b.v, c.w
FROM ods.src_a--joined with fake_src_d before 2024
a
JOIN/*y*/ods.src_b b ON a.id = b.id
LEFT JOIN ods.src_c/* INSERT INTO fake_e */c ON a.id = c.id -- ; select * from fake_f
WHERE a.dt = '${dt}';
