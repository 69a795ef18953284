-- SELECT * expands from dim_city's schema; the target's schema is unknown.
INSERT OVERWRITE TABLE dim_city_bak SELECT * FROM dim_city;
