-- Unknown source schema: the T.* <- S.* entry, not a guess. The static partition is still named.
INSERT OVERWRITE TABLE ods_raw_copy PARTITION (ds='${bizdate}') SELECT * FROM ods_raw_events WHERE ds='${bizdate}';
