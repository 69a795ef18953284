ADD JAR hdfs:///libs/ua-parser.jar;
CREATE TEMPORARY FUNCTION parse_ua AS 'com.example.hive.ParseUA';
INSERT OVERWRITE TABLE dw.dwd_ua_parsed PARTITION (dt='${dt}')
SELECT parse_ua(ua) FROM ods.ods_ua_log WHERE dt = '${dt}';
