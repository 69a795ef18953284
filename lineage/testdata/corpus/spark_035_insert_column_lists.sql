-- Expected, by hand: INSERT with column lists, before or after a PARTITION
-- spec, with VALUES, BY NAME, and a parenthesised query. Column names in the
-- lists (including `order`) are not tables.
-- Inputs: raw.src_a, raw.src_b, raw.src_c. Outputs: dw.t1, dw.t2, dw.t3, dw.t4.
INSERT INTO dw.t1 (id, name, `order`) SELECT id, name, seq FROM raw.src_a;
INSERT INTO TABLE dw.t2 PARTITION (dt = '${dt}') (id, amount) SELECT id, amount FROM raw.src_b;
INSERT INTO dw.t3 (id, note) VALUES (1, 'from raw.fake'), (2, 'select * from raw.fake2');
INSERT INTO dw.t4 BY NAME (SELECT c.id, c.name FROM raw.src_c c);
