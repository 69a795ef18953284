--odps sql
--desc: POS 流水补门店名; ods 层表由同步任务建, 本节点不知道其结构
INSERT OVERWRITE TABLE dwd_pos_flow_di PARTITION (ds = '${bizdate}')
SELECT  f.*
        ,s.store_name
FROM    ods_pos_flow f
LEFT JOIN ods_store s
ON      f.store_id = s.store_id
WHERE   f.ds = '${bizdate}';
