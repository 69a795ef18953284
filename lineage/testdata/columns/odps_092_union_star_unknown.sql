-- A UNION whose one branch is SELECT * of a table of unknown columns: no position ties the other branch's
-- columns to a column of the target, so every one of them flows into every column (the star placeholder),
-- in either order of the branches.
INSERT OVERWRITE TABLE ods_feed_all SELECT * FROM ods_feed_legacy UNION ALL SELECT order_id, user_id FROM ods_orders;
INSERT OVERWRITE TABLE ods_feed_all2 SELECT order_id, price * qty FROM ods_orders UNION ALL SELECT * FROM ods_feed_legacy;
