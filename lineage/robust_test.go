package lineage

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var dialects = []Dialect{ODPS, Hive, Spark}

// runAllDialects runs every case in each dialect: the rules tested here do
// not depend on it.
func runAllDialects(t *testing.T, cases []lineageCase) {
	t.Helper()
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			for i := range cases {
				cases[i].dialect = d
			}
			runCases(t, cases)
		})
	}
}

func TestLex_DigitsAndNames(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []tokKind
	}{
		{"10", []tokKind{tNumber}},
		{"1902", []tokKind{tNumber}},
		{"0.5", []tokKind{tNumber}},
		{"1.", []tokKind{tNumber}},
		{"1e3", []tokKind{tNumber}},
		{"1E-3", []tokKind{tNumber}},
		{"1.5e+3", []tokKind{tNumber}},
		{"10L", []tokKind{tNumber}},
		{"2Y", []tokKind{tNumber}},
		{"1.5BD", []tokKind{tNumber}},
		{"1.5d", []tokKind{tNumber}},
		{"0x1F", []tokKind{tNumber}},
		{"1902_lp", []tokKind{tWord}},
		{"1col", []tokKind{tWord}},
		{"1e", []tokKind{tWord}},
		{"1e3x", []tokKind{tWord}},
		{"7days", []tokKind{tWord}},
		{"20${yy}_t", []tokKind{tWord}},
		{"1902_lp_ods.t", []tokKind{tWord, tDot, tWord}},
		{"t.1col", []tokKind{tWord, tDot, tWord}},
		{"t.5", []tokKind{tWord, tDot, tNumber}},
		{"1902.t", []tokKind{tNumber, tDot, tWord}},
		{"a-1", []tokKind{tWord, tOp, tNumber}},
		{"x>=1e3", []tokKind{tWord, tOp, tOp, tNumber}},
		{"1.5-2", []tokKind{tNumber, tOp, tNumber}},
	} {
		toks := lex(c.src, nil)
		var got []tokKind
		for _, tk := range toks[:len(toks)-1] {
			got = append(got, tk.kind)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("lex(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestLex_KeywordAsNamePart(t *testing.T) {
	// A word joined to a dot is a name part: no keyword id, no class.
	for _, src := range []string{"a.order", "t.from", "x.select", "ods.`select`", "order.id", "a.insert", "p.s.table"} {
		for _, tk := range lex(src, nil) {
			if tk.kw != kwNone || (tk.kind == tWord && tk.cls != 0) {
				t.Errorf("lex(%q): %q has keyword %d class %#x", src, src[tk.start:tk.end], tk.kw, tk.cls)
			}
		}
	}
	// Not when the dot ends a number: 1. from
	toks := lex("select 1. from t", nil)
	if toks[1].kind != tNumber || toks[2].kw != kwFrom {
		t.Errorf("select 1. from t: %+v", toks)
	}
}

// Class 1: names that begin with a digit, wherever a name may stand.
func TestExtract_DigitNames(t *testing.T) {
	runAllDialects(t, []lineageCase{
		{name: "Database", sql: "insert overwrite table 1902_lp_ods.t select * from 1902_lp_dwd.s", inputs: []string{"1902_lp_dwd.s"}, outputs: []string{"1902_lp_ods.t"}},
		{name: "Table", sql: "insert into 1d_orders select * from ods.7day_uv", inputs: []string{"ods.7day_uv"}, outputs: []string{"1d_orders"}},
		{name: "ThreeParts", sql: "select * from 1p.2s.3t", inputs: []string{"1p.2s.3t"}},
		{name: "UpperCase", sql: "select * from 1902_LP.T", inputs: []string{"1902_lp.t"}},
		{name: "Columns", sql: "select t.1col, t.2nd_col, 3rd from s t where t.1col > 1e3 and 4th = 10", inputs: []string{"s"}},
		{name: "Aliases", sql: "select 1x.a from s 1x join (select * from u) 2nd on 1x.id = 2nd.id", inputs: []string{"s", "u"}},
		{name: "AliasAfterAs", sql: "select a as 1st from (select a from s) as 1sub", inputs: []string{"s"}},
		{name: "CTE", sql: "with 1c as (select * from s) insert into t select * from 1c", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "LateralView", sql: "select e.1v from s lateral view explode(s.arr) 1e as 1v", inputs: []string{"s"}},
		{name: "Var", sql: "insert overwrite table 20${yy}_t partition (ds=${bizdate}) select * from 1902_${env}.s", inputs: []string{"1902_${env}.s"}, outputs: []string{"20${yy}_t"}},
		{name: "DropTemp", sql: "create table 1tmp as select * from s; insert into t select * from 1tmp; drop table 1tmp", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "NumbersStayNumbers", sql: "select 10, 0.5, 1e3, 1.5e-3, 10L, 1., 1902 from s limit 10", inputs: []string{"s"}},
	})
}

// Class 2: Spark's CTAS without AS, and queries in clauses the parser
// passes over.
func TestExtract_CTASWithoutAs(t *testing.T) {
	runAllDialects(t, []lineageCase{
		{name: "UsingSelect", sql: "create table t using parquet select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "StoredAsSelect", sql: "create table t stored as orc select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "ColumnsUsingPartitioned", sql: "CREATE TABLE t (a int) USING delta PARTITIONED BY (a) SELECT a FROM s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "OptionsLocation", sql: "create table if not exists t using csv options (header 'true') location '/x' tblproperties ('a'='b') select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "ParenQuery", sql: "create table t using parquet (select * from s union all select * from u)", inputs: []string{"s", "u"}, outputs: []string{"t"}},
		{name: "With", sql: "create table t using parquet with w as (select * from s) select * from w", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "FromFirst", sql: "create table t using parquet from s select a", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "ReplaceTable", sql: "create or replace table t using delta select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "SerdeNotAQuery", sql: "create table t (a string) row format serde 'x' with serdeproperties ('a'='b') stored as textfile"},
		{name: "StoredAsNotAQuery", sql: "create table t (a string) stored as orc"},
		{name: "NullDefinedAs", sql: "create table t (a string) row format delimited fields terminated by ',' null defined as '' stored as textfile"},
		{name: "AsWithoutQuery", sql: "create table t as ${query}", errors: 1},
		{name: "ViewWithoutQuery", sql: "create view v", errors: 1},
		{name: "CacheWithoutAs", sql: "cache table c select * from s; insert into t select * from c", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "AlterViewAs", sql: "alter view v as select * from s", inputs: []string{"s"}, outputs: []string{"v"}},
		{name: "AlterViewProperties", sql: "alter view v set tblproperties ('a'='b')"},
		{name: "DeclareDefault", sql: "declare variable x int default (select max(a) from s)", inputs: []string{"s"}},
		{name: "SetVar", sql: "set var x = (select max(a) from s)", inputs: []string{"s"}},
		{name: "ReplaceWhere", sql: "insert into t replace where id in (select id from u) select * from s", inputs: []string{"s", "u"}, outputs: []string{"t"}},
		{name: "ByName", sql: "insert into t by name select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "Unload", sql: "unload from (select * from s where ds = '1') into location 'oss://b/p' stored by 'x'; unload from u partition (ds='1') into location 'oss://b/q'", inputs: []string{"s", "u"}},
		{name: "DeleteWithoutFrom", sql: "delete t where a = 1", errors: 1},
		{name: "DeleteJar", sql: "delete jar /tmp/select.jar; add file /tmp/select/x.py; list files"},
		{name: "GrantSelect", sql: "grant select on table t to user u; revoke select on t from role r"},
		{name: "ExplainShow", sql: "explain insert into t select * from s; show create table t"},
		{name: "CreateFunction", sql: "create sql function f(@a bigint) as (select max(a) from s); create temporary function g as 'x.G'"},
		// The guard: a SELECT the parser passed over is reported, and its
		// tables read all the same.
		{name: "UnknownCreateObject", sql: "create unlogged table t as select * from s", inputs: []string{"s"}, errors: 1},
		{name: "UnknownStatement", sql: "upsert into t select * from s", inputs: []string{"s"}, errors: 1},
		{name: "SelectInSkippedGroup", sql: "create table t (a int default (select max(a) from s))", inputs: []string{"s"}, errors: 1},
		{name: "QueryAfterTruncate", sql: "truncate table t select * from s", inputs: []string{"s"}, errors: 1},
	})
}

// A group that holds a subquery beside other operands is an expression, not
// a query: f((SELECT ...), 0), ((SELECT ...) + 1).
func TestExtract_SubqueryInGroups(t *testing.T) {
	runAllDialects(t, []lineageCase{
		{name: "FunctionArgs", sql: "select coalesce((select max(a) from v), 0), nvl((select 1 from w), (select 2 from x)) from t", inputs: []string{"t", "v", "w", "x"}},
		{name: "Arithmetic", sql: "select ((select count(1) from v) + 1) * 2 from t where ((select max(a) from u) > 0)", inputs: []string{"t", "u", "v"}},
		{name: "NestedParens", sql: "select * from t where x in (((select a from u)))", inputs: []string{"t", "u"}},
		{name: "UnionInGroup", sql: "select * from t where x in ((select a from u) union all (select a from v))", inputs: []string{"t", "u", "v"}},
		{name: "IfCondition", sql: "IF ((SELECT count(*) FROM s) > 0) BEGIN insert into x select 1; END", inputs: []string{"s"}, outputs: []string{"x"}},
		{name: "IfConditionUnbalanced", sql: "IF ((SELECT (count(*) FROM s) > 0) BEGIN insert into x select 1; END", errors: 1},
	})
}

// Class 3: one failure costs its clause, not the statement.
func TestExtract_Recovery(t *testing.T) {
	type rc struct {
		name, sql       string
		inputs, outputs []string
		partial         bool
	}
	for _, c := range []rc{
		{"ReservedWordColumnsQualified", "insert overwrite table x select a.order, a.from, a.select, user from t a", []string{"t"}, []string{"x"}, false},
		{"ReservedWordColumns", "insert overwrite table x select order, user, sort, limit from t where group = 1 order by sort", []string{"t"}, []string{"x"}, false},
		{"ReservedWordBeforeFrom", "select a, window, offset from t", []string{"t"}, nil, false},
		{"LeftAsColumn", "select a, left, right from t left join u on t.id = u.id", []string{"t", "u"}, nil, false},
		{"StarExcept", "select * except (a, b) from t", []string{"t"}, nil, false},
		{"TargetKeptWhenQueryFails", "insert overwrite table x partition (ds='1') select a from where", nil, []string{"x"}, true},
		{"SubqueryFails", "insert overwrite table x select a from t where b in (select c from u where d = (select from)) and e in (select f from v)", []string{"t", "u", "v"}, []string{"x"}, true},
		{"DerivedFails", "insert into x select * from (select * from s where ,) a join u on a.id = u.id", []string{"s", "u"}, []string{"x"}, true},
		{"CTEFails", "with c as (select * from s where ,), d as (select * from u) insert into x select * from c join d on c.id = d.id", []string{"s", "u"}, []string{"x"}, true},
		{"UnknownFromClause", "insert overwrite table x select a from t match_recognize (partition by k order by ts pattern (a b+)) m join u on m.id = u.id", []string{"t", "u"}, []string{"x"}, true},
		{"UnknownTimeTravel", "insert into x select * from t as of timestamp '2024-01-01' join u on t.id = u.id", []string{"t", "u"}, []string{"x"}, true},
		{"UnionBranchFails", "insert into x select a from t union all select a from ? union all select a from u", []string{"t", "u"}, []string{"x"}, true},
		{"MultiInsertBranchFails", "from s insert overwrite table a select x where ? insert into table b select y from insert into table c select z", []string{"s"}, []string{"a", "b", "c"}, true},
		{"MergeSourceFails", "merge into t using (select * from s where ,) x on t.id = x.id when matched then delete", []string{"s"}, []string{"t"}, true},
		{"CTASFails", "create table t as select * from s where b = (select from)", []string{"s"}, []string{"t"}, true},
		{"UnterminatedString", "insert into t select 'open from s", nil, []string{"t"}, true},
		{"NothingRecovered", "select from where", nil, nil, false},
		{"CTENameNotATable", "with c as (select * from s) insert into x select * from c where ? join c on 1=1", []string{"s"}, []string{"x"}, true},
	} {
		for _, d := range dialects {
			t.Run(c.name+"/"+string(d), func(t *testing.T) {
				got := Extract(c.sql, d)
				if !slices.Equal(got.Inputs, orEmpty(c.inputs)) || !slices.Equal(got.Outputs, orEmpty(c.outputs)) {
					t.Errorf("lineage = %q %q, want %q %q (errors %+v)", got.Inputs, got.Outputs, c.inputs, c.outputs, got.Errors)
				}
				wantErrs := 0
				if c.partial || (len(c.inputs)+len(c.outputs) == 0) {
					wantErrs = 1
				}
				if len(got.Errors) != wantErrs {
					t.Fatalf("errors = %+v, want %d", got.Errors, wantErrs)
				}
				if wantErrs == 1 && got.Errors[0].Partial != c.partial {
					t.Errorf("partial = %v, want %v (%+v)", got.Errors[0].Partial, c.partial, got.Errors[0])
				}
			})
		}
	}
}

// Partial is about the failed statement alone: the lineage of the others
// is not its recovery.
func TestExtract_PartialPerStatement(t *testing.T) {
	got := Extract("insert into a select * from b;\nselect from where;\ninsert into c select * from d where x in (select from)", ODPS)
	if !slices.Equal(got.Inputs, []string{"b", "d"}) || !slices.Equal(got.Outputs, []string{"a", "c"}) {
		t.Errorf("lineage = %q %q", got.Inputs, got.Outputs)
	}
	if len(got.Errors) != 2 || got.Errors[0].Partial || !got.Errors[1].Partial || got.Errors[1].Index != 3 {
		t.Fatalf("errors = %+v", got.Errors)
	}
	if s := got.Errors[1].Error(); !strings.Contains(s, "partly recovered") {
		t.Errorf("Error() = %q", s)
	}
	if s := got.Errors[0].Error(); strings.Contains(s, "recovered") {
		t.Errorf("Error() = %q", s)
	}
}

// TestStatementShapes enumerates statement shapes, each writing dst (or
// nothing) from a query reading src, with query forms the parser knows and
// some it does not: every combination must give its lineage or report an
// error. None may vanish.
func TestStatementShapes(t *testing.T) {
	type head struct {
		sql    string
		writes bool // dst is an output when understood
	}
	heads := []head{
		{"{Q}", false},
		{"({Q})", false},
		{"insert overwrite table dst {Q}", true},
		{"insert into dst {Q}", true},
		{"insert into table dst partition (ds='${bizdate}', hh) {Q}", true},
		{"insert into dst (a, b) {Q}", true},
		{"insert into dst partition (ds='1') if not exists {Q}", true},
		{"insert into dst by name {Q}", true},
		{"insert into dst replace where ds = '1' {Q}", true},
		{"insert overwrite local directory '/tmp/x' row format delimited {Q}", false},
		{"create table dst as {Q}", true},
		{"create table if not exists dst lifecycle 7 as {Q}", true},
		{"create table dst using parquet {Q}", true},
		{"create table dst using parquet as {Q}", true},
		{"create table dst stored as orc {Q}", true},
		{"create table dst stored as orc as {Q}", true},
		{"create table dst (a int, b string) using delta partitioned by (a) {Q}", true},
		{"create table dst comment 'x' tblproperties ('k'='v') as {Q}", true},
		{"create or replace table dst using delta {Q}", true},
		{"replace table dst using delta as {Q}", true},
		{"create external table dst location '/x' as {Q}", true},
		{"create or replace view dst as {Q}", true},
		{"create view if not exists dst (a, b) comment 'v' as {Q}", true},
		{"create materialized view dst as {Q}", true},
		{"alter view dst as {Q}", true},
		{"create temporary view tv as {Q}", false},
		{"cache table ct as {Q}", false},
		{"cache lazy table ct {Q}", false},
		{"with c as ({Q}) insert overwrite table dst select * from c", true},
		{"with c as ({Q}) select * from c", false},
		{"with c as ({Q}) from c insert overwrite table dst select a insert into table dst select b", true},
		{"from ({Q}) x insert overwrite table dst select * insert into table dst select a", true},
		{"insert overwrite table dst select * from ({Q}) x join y on x.id = y.id", true},
		{"insert overwrite table dst select * from x where x.id in ({Q})", true},
		{"insert overwrite table dst select (select max(a) from ({Q}) m) from x", true},
		{"merge into dst using ({Q}) s on dst.id = s.id when matched then delete", true},
		{"update dst set a = 1 where b in ({Q})", true},
		{"delete from dst where b in ({Q})", true},
		{"@v := {Q}", false},
		{"declare variable v int default ({Q})", false},
		{"if (({Q}) > 0) begin insert into dst select 1; end", true},
		// Forms the parser does not know: reported, never silent.
		{"create unlogged table dst as {Q}", true},
		{"upsert into dst {Q}", true},
		{"insert ignore into dst {Q}", true},
		{"create table dst with (fmt = 'x') as {Q}", true},
	}
	queries := []string{
		"select * from src",
		"select a, b from src where c = 1 group by a, b having count(1) > 1 order by a limit 10",
		"select a.order, a.from, user from src a",
		"select order, sort, user from src",
		"select * from src t lateral view explode(t.arr) e as x lateral view json_tuple(t.js, 'k') j as k",
		"select a from src union all select a from src2",
		"select a from (select a from src) x",
		"with w as (select * from src) select * from w",
		"select * except (a) from src",
		"select a from src where b in (select b from src3)",
		"select a, left from src",
		"select t.1col from 1902_db.src t",
		"select /*+ mapjoin(d) */ s.a from src--comment\n s join /*x*/dim d on s.k = d.k",
		"select a from src where ds = max_pt('other.tbl')",
		"from src select a where b = 1",
		"values (1, 2)",
		"select a from src timestamp as of '2024-01-01'",
		"select a from src pivot (sum(a) for b in ('x')) p",
		"select a from src unpivot exclude nulls (v for k in (a, b)) u",
		// not understood:
		"select a from src match_recognize (partition by k pattern (a b+)) m",
		"select a from src as of timestamp '2024-01-01'",
		"select a from src where x = (select from)",
		"select a from src where",
		"select a from src ? b",
		"select from src",
	}
	for _, h := range heads {
		for _, q := range queries {
			sql := strings.ReplaceAll(h.sql, "{Q}", q)
			for _, d := range dialects {
				got := Extract(sql, d)
				if len(got.Errors) > 0 {
					e := got.Errors[0]
					if e.Partial != (len(got.Inputs)+len(got.Outputs) > 0) {
						t.Errorf("%s: %s\n  partial %v but lineage %q %q", d, sql, e.Partial, got.Inputs, got.Outputs)
					}
					continue
				}
				readsSrc := slices.ContainsFunc(got.Inputs, func(n string) bool { return strings.HasSuffix(n, "src") })
				if !strings.HasPrefix(q, "values") && !readsSrc {
					t.Errorf("%s: %s\n  src read neither found nor reported: %q %q", d, sql, got.Inputs, got.Outputs)
				}
				if h.writes && !slices.Contains(got.Outputs, "dst") {
					t.Errorf("%s: %s\n  dst written neither found nor reported: %q %q", d, sql, got.Inputs, got.Outputs)
				}
			}
		}
	}
}

// TestMutations inserts a stray token between every two tokens of every
// corpus script: each answer must keep all the tables of the original
// answer or report an error. A token the parser cannot place never makes
// a table vanish silently.
func TestMutations(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		want := readExpected(t, path)
		base := Extract(src, want.Dialect)
		if len(base.Errors) > 0 {
			// A script written to show recovery: its failed statement is
			// reported whatever an insertion does to the rest of it.
			continue
		}
		toks := lex(src, nil)
		// Words are left out: one before a table name makes it an alias
		// (from pivot t), a valid reading; so is ';' (CREATE TABLE t USING
		// parquet; SELECT ...).
		for _, ins := range []string{"?", "(", ","} {
			for _, tk := range toks {
				m := src[:tk.start] + " " + ins + " " + src[tk.start:]
				got := Extract(m, want.Dialect)
				n++
				checkInvariants(t, m, got)
				if !sameErrors(got.Errors, base.Errors) {
					continue // reported
				}
				for _, set := range [][2][]string{{base.Inputs, got.Inputs}, {base.Outputs, got.Outputs}} {
					for _, name := range set[0] {
						if !slices.Contains(set[1], name) {
							t.Errorf("%s: %q inserted at offset %d loses %q silently:\n%s\n  got %q %q", filepath.Base(path), ins, tk.start, name, excerpt(m, tk.start), got.Inputs, got.Outputs)
						}
					}
				}
			}
		}
	}
	t.Logf("%d mutations", n)
}

// sameErrors reports whether two answers report the same failures, the
// offsets aside (an insertion moves them).
func sameErrors(a, b []StatementError) bool {
	return slices.EqualFunc(a, b, func(x, y StatementError) bool { return x.Index == y.Index && x.Reason == y.Reason })
}

func excerpt(s string, at int) string {
	from, to := max(0, at-60), min(len(s), at+60)
	return fmt.Sprintf("  ...%s...", strings.ReplaceAll(s[from:to], "\n", " "))
}

// TestRecoveryLinear feeds long statements that fail over and over: the
// recovery (salvage, caught groups, the guard) must stay linear in the
// statement's length. Quadratic work would take minutes here.
func TestRecoveryLinear(t *testing.T) {
	for _, pat := range []string{
		"(select a from where ", "((select a from where) ", "select (a select b ", "from ? join x ",
		"insert into t select ( ", "select a from t where b in (select from) ",
		"create table t using x select * from ", "from t pivot (x) join u on ", "( ( ) ", ") ( ",
	} {
		s := "insert into z select " + strings.Repeat(pat, 40000)
		start := time.Now()
		res := Extract(s, ODPS)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q x 40000 (%d bytes): %v", pat, len(s), d)
		}
		if len(res.Errors) != 1 || !res.Errors[0].Partial {
			t.Errorf("%q: errors %+v", pat, res.Errors)
		}
	}
}

// TestTransformScanLinear feeds long runs of MAP and REDUCE that begin no
// script clause where every token may begin a query (the directory and
// ROW FORMAT of INSERT OVERWRITE DIRECTORY): each asks for the clause's
// USING 'script', and the look-ahead must stay linear.
func TestTransformScanLinear(t *testing.T) {
	for _, pat := range []string{"map ", "map keys ", "reduce a, ", "(map a, ", "map (a) (b) "} {
		for _, head := range []string{"insert overwrite directory 'x' ", "from s insert overwrite directory 'x' ", "select * from t where x in "} {
			s := head + strings.Repeat(pat, 40000)
			start := time.Now()
			Extract(s, Hive)
			ExtractColumns(s, Hive, nil)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%q + %q x 40000 (%d bytes): %v", head, pat, len(s), d)
			}
		}
	}
}
