-- IDENTIFIER('...') names a table by a string: the string's content is the
-- name, normalised like any other.
INSERT OVERWRITE TABLE IDENTIFIER('DWS_SHOP_DAY') PARTITION (ds = '${bizdate}')
SELECT o.shop_id,
       s.shop_name,
       sum(o.amount) AS gmv,
       count(1) AS order_cnt,
       count(DISTINCT o.user_id) AS user_cnt
FROM IDENTIFIER('dwd_orders') o
JOIN IDENTIFIER('`dim_shop`') s ON o.shop_id = s.shop_id
WHERE o.ds = '${bizdate}'
GROUP BY o.shop_id, s.shop_name;
