INSERT OVERWRITE TABLE dw.ab_di
SELECT id, a.x, b.y FROM dw.a_di a JOIN dw.b_di b USING (id);
