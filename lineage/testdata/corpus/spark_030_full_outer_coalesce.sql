INSERT OVERWRITE TABLE dw.merged_side
SELECT coalesce(l.id, r.id) AS id, l.v AS lv, r.v AS rv
FROM dw.left_side l FULL OUTER JOIN dw.right_side r ON l.id = r.id;
