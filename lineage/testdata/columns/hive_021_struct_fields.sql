-- device dimension from the nested device report (Hive structs)
insert overwrite table dim_device partition (dt='${hivevar:dt}')
select d.device_id,
       d.os.name as os_name,
       concat(d.os.name, ' ', d.os.version) as os_full,
       d.geo.loc.lat as lat,
       geo.country as country
from ods_device_info d
where d.dt = '${hivevar:dt}'
  and d.geo.country is not null;
