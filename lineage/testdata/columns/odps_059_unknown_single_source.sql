-- One source of unknown schema: unqualified columns are certainly its.
INSERT OVERWRITE TABLE rpt_raw SELECT col_a, col_b + col_c AS s FROM ods_raw_x;
