-- CASE with parenthesised operands after CASE, WHEN, THEN and ELSE: each parenthesis opens an operand, never a
-- call of a function named THEN or ELSE.
INSERT INTO TABLE dws_shop_day PARTITION (ds='20240101') (shop_id, gmv)
SELECT shop_id,
       CASE WHEN (price > 0) THEN (price * 2) WHEN (price < 0) THEN (0 - price) ELSE (user_id) END AS gmv
FROM ods_orders;
