-- 会员标签拆分, 一个会员多行; tag_seq 从 1 开始
-- target table is created by the modelling tool, not declared to this node
INSERT OVERWRITE TABLE dwd_member_tag_di PARTITION (ds='${bizdate}')
SELECT  m.member_id
        ,t.pos + 1 AS tag_seq
        ,TRIM(t.tag) AS tag_name
        ,m.level_code
FROM    ods_crm_member m
LATERAL VIEW POSEXPLODE(SPLIT(GET_JSON_OBJECT(m.tags_json, '$.tags'), ',')) t AS pos, tag
WHERE   m.ds = '${bizdate}'
AND     m.tags_json IS NOT NULL;
