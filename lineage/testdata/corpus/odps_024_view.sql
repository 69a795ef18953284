CREATE OR REPLACE VIEW dw.v_order_shop
COMMENT 'order with shop info'
AS
SELECT o.order_id, o.pay_amount, s.shop_name
FROM dw.dwd_trade_order_di o
JOIN dim.dim_shop_df s ON o.shop_id = s.shop_id;
