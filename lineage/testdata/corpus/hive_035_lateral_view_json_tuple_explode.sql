-- Expected, by hand: LATERAL VIEW json_tuple(...) and LATERAL VIEW [OUTER]
-- explode/posexplode produce aliases (j, e, p) and columns, never tables.
-- Inputs: ods.ods_app_event_log (FROM) and dim.dim_event_type (LEFT JOIN after
-- the lateral views). The second statement reads the first's output.
-- Outputs: dwd.dwd_app_event_detail and dws.dws_event_item_cnt.
INSERT OVERWRITE TABLE dwd.dwd_app_event_detail PARTITION (dt='${hivevar:dt}')
SELECT e.event_id, j.uid, j.page, it.item_id, p.pos, t.type_name
FROM ods.ods_app_event_log e
LATERAL VIEW json_tuple(e.payload, 'uid', 'page', 'items') j AS uid, page, items
LATERAL VIEW OUTER explode(split(regexp_replace(j.items, '\\[|\\]', ''), ',')) it AS item_id
LATERAL VIEW posexplode(split(e.tags, '\\|')) p AS pos, tag
LEFT JOIN dim.dim_event_type t ON e.event_type = t.type_id
WHERE e.dt = '${hivevar:dt}';

INSERT OVERWRITE TABLE dws.dws_event_item_cnt PARTITION (dt='${hivevar:dt}')
SELECT item_id, count(DISTINCT uid) AS uv
FROM dwd.dwd_app_event_detail
WHERE dt = '${hivevar:dt}'
GROUP BY item_id;
