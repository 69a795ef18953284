FROM ods.orders o JOIN ods.customers c ON (o.cust_id = c.id)
INSERT OVERWRITE TABLE dw.orders_vip PARTITION (dt='${dt}')
  SELECT o.id, c.name WHERE c.level = 'vip'
INSERT OVERWRITE TABLE dw.orders_normal PARTITION (dt='${dt}')
  SELECT o.id, c.name WHERE c.level <> 'vip';
