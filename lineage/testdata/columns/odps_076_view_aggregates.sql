--odps sql
--desc: 类目退款率视图(近30天), BI 直接查
CREATE VIEW IF NOT EXISTS v_cate_refund_rate
COMMENT '类目退款率(近30天)'
AS
SELECT  i.cate_name
        ,SUM(o.refund_amt) / SUM(o.pay_amt) AS refund_rate
        ,COUNT(DISTINCT CASE WHEN o.refund_amt > 0 THEN o.order_id END) AS refund_ord_cnt
FROM    ods_trade_order o
JOIN    dim_item i
ON      o.item_id = i.item_id
WHERE   o.ds >= TO_CHAR(DATEADD(GETDATE(), -30, 'dd'), 'yyyymmdd')
GROUP BY i.cate_name
HAVING  SUM(o.pay_amt) > 0;
