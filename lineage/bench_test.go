package lineage

import (
	"strings"
	"testing"
)

const benchScript = `-- daily order facts
set odps.sql.allow.fullscan=true;
@orders := SELECT o.order_id, o.user_id, o.amount, o.ds
  FROM ods.ods_orders_di o
  WHERE o.ds = '${bizdate}' AND o.status IN ('PAID', 'SHIPPED');
WITH u AS (
  SELECT user_id, max(level) AS level FROM dim.dim_user_df WHERE ds = '${bizdate}' GROUP BY user_id
)
INSERT OVERWRITE TABLE dw.dwd_order_fact PARTITION (ds = '${bizdate}')
SELECT /*+ MAPJOIN(c) */ a.order_id, a.user_id, u.level, c.city_name,
       CASE WHEN a.amount > 100 THEN 'big' ELSE 'small' END AS size_tag,
       row_number() OVER (PARTITION BY a.user_id ORDER BY a.amount DESC) AS rn
FROM @orders a
LEFT JOIN u ON a.user_id = u.user_id
LEFT JOIN dim.dim_city c ON a.city_id = c.city_id
WHERE a.user_id NOT IN (SELECT user_id FROM dim.blacklist WHERE ds = '${bizdate}');
FROM dw.dwd_order_fact f
INSERT OVERWRITE TABLE dw.dws_user_day PARTITION (ds = '${bizdate}')
  SELECT f.user_id, sum(f.amount) WHERE f.ds = '${bizdate}' GROUP BY f.user_id
INSERT OVERWRITE TABLE dw.dws_city_day PARTITION (ds = '${bizdate}')
  SELECT f.city_name, count(1) WHERE f.ds = '${bizdate}' GROUP BY f.city_name;
`

func BenchmarkExtract(b *testing.B) {
	script := strings.Repeat(benchScript, 20)
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		res := Extract(script, ODPS)
		if len(res.Outputs) != 3 || len(res.Errors) != 0 {
			b.Fatalf("unexpected result %+v", res)
		}
	}
}

func BenchmarkLex(b *testing.B) {
	script := strings.Repeat(benchScript, 20)
	b.SetBytes(int64(len(script)))
	var toks []token
	for b.Loop() {
		toks = lex(script, toks[:0])
	}
}
