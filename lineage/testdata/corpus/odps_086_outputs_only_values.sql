INSERT OVERWRITE TABLE dim.dim_flag VALUES ('a', 1), ('b', 0);
