INSERT OVERWRITE TABLE dwd_order_tag_di PARTITION (ds='${bizdate}')
SELECT order_id, tag
FROM ods_order_tags_di
LATERAL VIEW EXPLODE(SPLIT(tags, ',')) tag_table AS tag
WHERE ds = '${bizdate}';
