--odps sql
--desc: 会员有效标签 (MaxCompute 2.0 lambda); 原始标签表由同步任务建
SET odps.sql.type.system.odps2=true;
INSERT OVERWRITE TABLE dwd_member_tag_list PARTITION (ds = '${bizdate}')
SELECT  m.member_id
        ,FILTER(SPLIT(m.tag_str, ','), t -> t <> '' AND t IS NOT NULL) AS tags
        ,TRANSFORM(SPLIT(m.tag_str, ','), t -> CONCAT(m.level_code, ':', t)) AS level_tags
        ,ARRAY_CONTAINS(SPLIT(m.tag_str, ','), 'vip') AS has_vip
FROM    ods_member_tag_raw m
WHERE   m.ds = '${bizdate}';
