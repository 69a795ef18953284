-- Time travel: the table read as of a version or a time is still the table,
-- its columns the table's; an alias may follow.
INSERT OVERWRITE TABLE rpt_order_diff
SELECT cur.order_id,
       cur.amount - coalesce(old.amount, 0) AS amount_delta,
       old.status AS old_status
FROM dwd_orders VERSION AS OF 12 AS cur
LEFT JOIN dwd_orders TIMESTAMP AS OF current_timestamp() - INTERVAL 1 DAY old
  ON cur.order_id = old.order_id
WHERE cur.ds = '${bizdate}';
