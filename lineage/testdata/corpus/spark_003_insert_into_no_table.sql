INSERT INTO dw.dst SELECT * FROM ods.src;
