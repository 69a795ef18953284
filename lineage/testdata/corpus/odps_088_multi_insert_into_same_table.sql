FROM ods_mix
INSERT OVERWRITE TABLE dwd_split PARTITION (kind='a') SELECT id WHERE kind = 'a'
INSERT OVERWRITE TABLE dwd_split PARTITION (kind='b') SELECT id WHERE kind = 'b';
