set odps.sql.dynamic.partition.mode=nonstrict;
INSERT OVERWRITE TABLE dwd_shipment_di PARTITION (ds, region)
SELECT shipment_id, order_id, carrier, ds, region
FROM ods_shipment_di
WHERE ds >= '${bizdate_7}' AND ds <= '${bizdate}';
