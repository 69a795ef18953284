INSERT OVERWRITE TABLE dwd_route_point_di PARTITION (ds='${bizdate}')
SELECT r.route_id, p.idx, p.point, q.speed
FROM ods_route_di r
LATERAL VIEW POSEXPLODE(SPLIT(r.points, ';')) p AS idx, point
LATERAL VIEW OUTER EXPLODE(SPLIT(r.speeds, ';')) q AS speed
WHERE r.ds = '${bizdate}';
