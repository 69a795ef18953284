package lineage

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzExtractColumns checks that column lineage never panics and always
// agrees with the table lineage: every target is in Outputs, every source
// in Inputs. It is seeded with the column corpus.
func FuzzExtractColumns(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "columns", "*.sql"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		d, _, _ := strings.Cut(filepath.Base(p), "_")
		f.Add(string(b), d)
	}
	for _, s := range []string{
		"insert into t select a.b.c, x -> x + 1, m['k'][0] from s",
		"select cast(", "insert into t partition (ds=", "merge into t using s on 1=1 when",
		"with a as (select * from a) insert into t select * from a",
		"create table t as select 1; insert into u select * from t; drop table t",
		"insert into t select (select (select 1)) from (select * from (select * from x) y) z",
	} {
		f.Add(s, "odps")
	}
	for _, s := range []string{
		"insert into t select a, k, v from noop(on noopwithmap(on s partition by a) order by b) p unpivot exclude nulls ((v, w) for k in ((c, d) as x, (e, f))) u",
		"with c as materialized (values 1, 2 as c(a)) insert into identifier('t') select p.*, c.a from s('k'='v') timestamp as of '1' pivot (sum(x) s, avg(y) as m for z in (1, 'a' as b)) p join c on 1=1, matchpath(on c sort by a arg1('x')) m",
		"create view v tblproperties (from = 'x') as select a from s; create table d deep clone s version as of 1",
	} {
		f.Add(s, "spark")
		f.Add(s, "hive")
	}
	schemas := Schemas{"ods_orders": {"order_id", "shop_id", "price", "ds"}, "dim_shop": {"shop_id", "shop_name"}, "t": {"a", "b"}}
	f.Fuzz(func(t *testing.T, script, dialect string) {
		res := ExtractColumns(script, Dialect(dialect), schemas)
		tab := Extract(script, Dialect(dialect))
		if !slices.Equal(res.Inputs, tab.Inputs) || !slices.Equal(res.Outputs, tab.Outputs) {
			t.Fatalf("tables differ from Extract: %v %v, want %v %v", res.Inputs, res.Outputs, tab.Inputs, tab.Outputs)
		}
		if res.Columns == nil {
			t.Fatal("nil columns")
		}
		for _, c := range res.Columns {
			if !hasTable(res.Outputs, c.Target) {
				t.Fatalf("target %s not in outputs %v", c.Target, res.Outputs)
			}
			if c.Sources == nil || !slices.IsSorted(c.Sources) {
				t.Fatalf("sources of %s nil or unsorted: %v", c.Target, c.Sources)
			}
			for _, s := range c.Sources {
				if !hasTable(res.Inputs, s) {
					t.Fatalf("source %s of %s not in inputs %v", s, c.Target, res.Inputs)
				}
			}
			switch c.Kind {
			case KindConstant, KindDirect, KindExpression, KindAggregation:
			default:
				t.Fatalf("kind %q", c.Kind)
			}
		}
	})
}

// hasTable reports whether TABLE.COLUMN names a table of the set. Both
// parts may hold dots (a backquoted column `a.b`), so it tries each table.
func hasTable(tables []string, col string) bool {
	for _, t := range tables {
		if len(col) > len(t) && strings.HasPrefix(col, t) && col[len(t)] == '.' {
			return true
		}
	}
	return false
}
