LOAD DATA INPATH '/warehouse/landing/${dt}/raw.csv' OVERWRITE INTO TABLE ods.ods_raw_csv PARTITION (dt='${dt}');
