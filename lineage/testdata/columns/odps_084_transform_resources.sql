--odps sql
--desc: 地址清洗 (Python 脚本, 资源已上传); 同步表结构未知
--@resource_reference{"addr_clean.py"}
INSERT OVERWRITE TABLE dwd_addr_clean PARTITION (ds = '${bizdate}')
SELECT  TRANSFORM(member_id, raw_addr)
        USING 'python addr_clean.py' RESOURCES 'addr_clean.py', 'area_code.txt'
        AS (member_id, province, city, district)
FROM    ods_member_addr
WHERE   ds = '${bizdate}';
