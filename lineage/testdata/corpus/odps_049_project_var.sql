INSERT OVERWRITE TABLE ${dw_project}.dwd_item_di PARTITION (ds='${bizdate}')
SELECT item_id, title, price FROM ${ods_project}.ods_item_di WHERE ds = '${bizdate}';
