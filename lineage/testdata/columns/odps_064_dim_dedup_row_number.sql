--odps sql
--desc: 会员维表, 全量快照取每个会员最新一条
INSERT OVERWRITE TABLE dim_member
SELECT  member_id
        ,MD5(mobile) AS mobile_md5
        ,CASE level_code
            WHEN 'L1' THEN '普通'
            WHEN 'L2' THEN '白银'
            WHEN 'L3' THEN '黄金'
            ELSE '未知'
         END AS level_name
        ,SUBSTR(register_time, 1, 10) AS register_date
        ,IF(level_code IN ('L3', 'L4'), 1, 0) AS is_vip
        ,updated_at
FROM    (
            SELECT  *
                    ,ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY updated_at DESC) AS rn
            FROM    ods_crm_member
            WHERE   ds <= '${bizdate}'
        ) t
WHERE   rn = 1
;
