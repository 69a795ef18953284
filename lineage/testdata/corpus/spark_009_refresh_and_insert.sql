REFRESH TABLE ods.external_src;
INSERT OVERWRITE TABLE dw.internal_copy SELECT * FROM ods.external_src;
