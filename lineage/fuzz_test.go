package lineage

import (
	"slices"
	"strings"
	"testing"
)

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"insert overwrite table t partition (ds='${bizdate}') select * from s",
		"from s insert overwrite table a select x insert into table b select y where y in (select y from c)",
		"with a as (select * from s) select * from a join `b`.`c` on 1=1",
		"@a := select * from s; insert into t select * from @a;",
		"merge into t using (select * from s) x on t.id = x.id when matched then update set v = x.v",
		"update t set a = b from s where t.id = s.id; delete from u where x in (select x from v)",
		"create table tmp as select * from s; drop table tmp; clone table a to b",
		"select 'a;b' -- c;\n/* d; */ from t lateral view explode(x) e as y",
		"IF @c > 0 BEGIN insert into t select 1; END",
		"select ((((((((((1))))))))))",
		"select 'unterminated",
		"select `a``b` from `x.y`.z",
		// Hive's MAP / REDUCE script clauses and UNIQUEJOIN
		"from (from s map a, b row format delimited using 'cat' as k, v cluster by k) m insert overwrite table d reduce m.k, (select max(x) from w) using 'r' as (x string) insert into e select map('a', m.k) from u map",
		"from uniquejoin preserve t a (a.k), (select * from u) b (b.k + 1), db.v tablesample (bucket 1 out of 2 on k) c (c.k) insert overwrite table d select a.k",
		// names that begin with a digit, numbers, recovery, the guard
		"insert into 1902_lp.t select t.1col, a.order, 1e3, 0.5, 10L from 20${yy}_s t where x in (select from) union all select * from u pivot (x) p join v",
		"create table t using parquet select * from s; create unlogged table u as select 1; create table w (a int default (select 1 from x))",
		"select order, limit from t left join u on 1=1 where group = 1 order by sort; insert into t select 'open",
		// table functions with ON, IDENTIFIER, table options, time travel, VALUES, PIVOT, property lists
		"from noop(on (select * from s) x partition by a arg1((select 1 from q))) p insert overwrite table identifier('db.`T`') select * from t1('k'='v') version as of 3 v unpivot include nulls (v for k in (a, b)) u, values 1, 2 w(i)",
		"with s as not materialized (select 1) select * from s pivot (sum(a) as x for b in ('y' as z)) p join u for system_time as of current_timestamp() - interval 1 day on 1=1, c; create temporary view v using x options (from '1', table 't'); create table c shallow clone s timestamp as of '1'; select * from identifier(:x)",
	} {
		for _, d := range []Dialect{ODPS, Hive, Spark} {
			f.Add(s, string(d))
		}
	}
	f.Fuzz(func(t *testing.T, script, dialect string) {
		res := Extract(script, Dialect(dialect))
		checkInvariants(t, script, res)
	})
}

// checkInvariants verifies what holds for every script.
func checkInvariants(t *testing.T, script string, res Result) {
	t.Helper()
	plain := asciiLower(strings.ReplaceAll(script, "`", ""))
	for _, set := range [][]string{res.Inputs, res.Outputs} {
		if set == nil {
			t.Fatal("nil name set")
		}
		if !slices.IsSorted(set) || len(slices.Compact(slices.Clone(set))) != len(set) {
			t.Fatalf("names not sorted and unique: %q", set)
		}
		for _, n := range set {
			if n == "" {
				t.Fatal("empty name")
			}
			for _, part := range strings.Split(n, ".") {
				if !strings.Contains(plain, asciiLower(strings.ReplaceAll(part, "`", ""))) {
					t.Fatalf("name %q does not appear in the script", n)
				}
			}
		}
	}
	if res.Errors == nil {
		t.Fatal("nil errors")
	}
	last := 0
	for _, e := range res.Errors {
		if e.Index <= last {
			t.Fatalf("error indexes not increasing: %+v", res.Errors)
		}
		last = e.Index
		if e.Offset < 0 || e.Offset > len(script) || e.Reason == "" {
			t.Fatalf("bad error %+v", e)
		}
		line := 1 + strings.Count(script[:e.Offset], "\n")
		col := e.Offset - (strings.LastIndexByte(script[:e.Offset], '\n') + 1) + 1
		if e.Line != line || e.Column != col {
			t.Fatalf("error %+v: want line %d column %d", e, line, col)
		}
	}
}

// asciiLower lower-cases A-Z only, as names are normalised. strings.ToLower
// would also turn invalid UTF-8 into U+FFFD, so a name holding such bytes
// (testdata/fuzz/FuzzExtract/ae161c8451f95104) was not found in the script.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
