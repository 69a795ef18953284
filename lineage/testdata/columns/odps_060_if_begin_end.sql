-- ODPS script control flow: the INSERT inside BEGIN ... END is followed.
IF (1 = 1) BEGIN
INSERT OVERWRITE TABLE rpt_city SELECT city_id, city_name FROM dim_city;
END
