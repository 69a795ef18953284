INSERT OVERWRITE TABLE dw.t_abc
SELECT id FROM (
    SELECT id FROM dw.t_a
    UNION
    SELECT id FROM dw.t_b
) x
WHERE id NOT IN (SELECT id FROM dw.t_c);
