package lineage

import (
	"slices"
	"strings"
	"testing"
)

type lineageCase struct {
	name    string
	dialect Dialect
	sql     string
	inputs  []string
	outputs []string
	errors  int
}

func runCases(t *testing.T, cases []lineageCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.dialect
			if d == "" {
				d = ODPS
			}
			got := Extract(tc.sql, d)
			if !slices.Equal(got.Inputs, orEmpty(tc.inputs)) {
				t.Errorf("inputs = %q, want %q", got.Inputs, tc.inputs)
			}
			if !slices.Equal(got.Outputs, orEmpty(tc.outputs)) {
				t.Errorf("outputs = %q, want %q", got.Outputs, tc.outputs)
			}
			if len(got.Errors) != tc.errors {
				t.Errorf("errors = %+v, want %d", got.Errors, tc.errors)
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestExtract_Names(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Lowercased", sql: "INSERT OVERWRITE TABLE DW.Fact_Orders SELECT * FROM ODS.Orders", inputs: []string{"ods.orders"}, outputs: []string{"dw.fact_orders"}},
		{name: "Backquotes", sql: "insert into `proj`.`t1` select * from `order`", inputs: []string{"order"}, outputs: []string{"proj.t1"}},
		{name: "ThreeParts", sql: "insert into p.s.t select * from p.s.src", inputs: []string{"p.s.src"}, outputs: []string{"p.s.t"}},
		{name: "BackquotedKeyword", sql: "select `select`.a from `from` `select`", inputs: []string{"from"}},
		{name: "VarVerbatim", sql: "insert overwrite table tmp_${bizDate}_x select * from ${proj}.src", inputs: []string{"${proj}.src"}, outputs: []string{"tmp_${bizDate}_x"}},
		{name: "NoDefaultProject", sql: "select * from t", inputs: []string{"t"}},
		{name: "Sorted", sql: "select * from b join a on a.x=b.x join c using (x)", inputs: []string{"a", "b", "c"}},
	})
}

func TestExtract_Outputs(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "InsertPartition", sql: "INSERT OVERWRITE TABLE t PARTITION (ds='${bizdate}') SELECT a FROM s WHERE ds='${bizdate}'", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "InsertIntoNoTable", dialect: Spark, sql: "insert into t select 1", outputs: []string{"t"}},
		{name: "InsertValues", sql: "insert into t (a, b) values (1, 'x'), (2, 'y')", outputs: []string{"t"}},
		{name: "InsertDynamicPartition", sql: "insert overwrite table t partition (ds, hh) select a, ds, hh from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "InsertParenQuery", sql: "insert into t (select * from s)", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "InsertColumnsThenQuery", sql: "insert into t partition (ds='1') (a, b) select a, b from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "MultiInsert", sql: `FROM src s
INSERT OVERWRITE TABLE a PARTITION (ds='1') SELECT s.x WHERE s.k = 1
INSERT INTO TABLE b SELECT s.y GROUP BY s.y
INSERT OVERWRITE TABLE c SELECT s.z WHERE s.z IN (SELECT z FROM d)`, inputs: []string{"d", "src"}, outputs: []string{"a", "b", "c"}},
		{name: "MultiInsertJoin", dialect: Hive, sql: "from a join b on a.id = b.id insert overwrite table x select a.id insert overwrite table y select b.id", inputs: []string{"a", "b"}, outputs: []string{"x", "y"}},
		{name: "CTAS", sql: "create table if not exists t lifecycle 7 as select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "SparkCTASUsing", dialect: Spark, sql: "create table t using parquet partitioned by (ds) as select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "HiveCTASStored", dialect: Hive, sql: "create table t stored as orc tblproperties ('a'='b') as select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "CreateView", sql: "create or replace view v (a comment 'x') comment 'view' as select a from s", inputs: []string{"s"}, outputs: []string{"v"}},
		{name: "Merge", sql: "merge into tgt t using (select * from src where ds='1') s on t.id = s.id when matched then update set t.v = s.v when not matched then insert values (s.id, s.v)", inputs: []string{"src"}, outputs: []string{"tgt"}},
		{name: "MergeTable", sql: "merge into tgt as t using src as s on t.id = s.id when matched then delete", inputs: []string{"src"}, outputs: []string{"tgt"}},
		{name: "Update", sql: "update t set a = 1 where b in (select b from s)", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "UpdateFrom", sql: "update t set t.a = s.a from s where t.id = s.id", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "UpdateFromJoin", sql: "update t a set a.v = b.v from s b join u c on b.id = c.id where a.id = b.id", inputs: []string{"s", "u"}, outputs: []string{"t"}},
		{name: "Delete", sql: "delete from t where ds < '20200101'", outputs: []string{"t"}},
		{name: "DeleteExists", sql: "delete from t where exists (select 1 from s where s.id = t.id)", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "LoadData", dialect: Hive, sql: "load data local inpath '/tmp/x.csv' overwrite into table t partition (ds='1')", outputs: []string{"t"}},
		{name: "LoadODPS", sql: "load overwrite table t from location 'oss://b/p' stored by 'x'", outputs: []string{"t"}},
		{name: "Clone", sql: "clone table src partition (ds='1'), partition (ds='2') to dst if exists overwrite", inputs: []string{"src"}, outputs: []string{"dst"}},
		{name: "SelfOverwrite", sql: "insert overwrite table t select * from t where ds > '1'", inputs: []string{"t"}, outputs: []string{"t"}},
		{name: "WrittenThenRead", sql: "insert into a select * from b; insert into c select * from a", inputs: []string{"a", "b"}, outputs: []string{"a", "c"}},
		{name: "WithInsert", dialect: Hive, sql: "with x as (select * from s) insert overwrite table t select * from x", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "WithFromInsert", dialect: Hive, sql: "with x as (select * from s) from x insert overwrite table t select a insert overwrite table u select b", inputs: []string{"s"}, outputs: []string{"t", "u"}},
	})
}

func TestExtract_Inputs(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Joins", sql: `select * from a, b
left semi join c on a.x = c.x
left anti join d on a.x = d.x
cross join e
right outer join f on 1=1
full join g using (x)
inner join h on h.x = a.x
natural join i
join j on (j.x = a.x)`, inputs: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}},
		{name: "Derived", sql: "select * from (select * from (select * from s) x) y", inputs: []string{"s"}},
		{name: "WhereSubqueries", sql: "select (select max(a) from m) from t where exists (select 1 from e) and x in (select x from i) and y not in ((select y from n))", inputs: []string{"e", "i", "m", "n", "t"}},
		{name: "Union", sql: "select a from x union all select a from y union select a from z minus select a from w", inputs: []string{"w", "x", "y", "z"}},
		{name: "ParenUnion", sql: "(select a from x) union all (select a from y) order by a limit 5", inputs: []string{"x", "y"}},
		{name: "CTE", sql: "with a as (select * from s), b as (select * from a join u on a.x = u.x) insert into t select * from b", inputs: []string{"s", "u"}, outputs: []string{"t"}},
		{name: "CTEScopedToStatement", sql: "with a as (select * from s) select * from a; select * from a", inputs: []string{"a", "s"}},
		{name: "CTEQualifiedIsTable", sql: "with a as (select 1) select * from p.a", inputs: []string{"p.a"}},
		{name: "NestedCTE", sql: "select * from (with q as (select * from s) select * from q) z", inputs: []string{"s"}},
		{name: "StandaloneSelect", sql: "select count(*) from t where ds = '${bizdate}'", inputs: []string{"t"}},
		{name: "InsertDirectory", dialect: Hive, sql: "insert overwrite local directory '/tmp/out' row format delimited fields terminated by ',' select * from s", inputs: []string{"s"}},
		{name: "InsertDirectoryMulti", dialect: Hive, sql: "from s insert overwrite directory '/tmp/a' select a insert overwrite table t select b", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "LeftRightFunctions", sql: "select left(a, 2), right(b, 3) from t left join u on t.x = u.x", inputs: []string{"t", "u"}},
		{name: "ExtractFrom", sql: "select extract(year from d), trim(both ' ' from s), substring(x from 1) from t", inputs: []string{"t"}},
		{name: "FromFirstSelect", dialect: Hive, sql: "from t select a where b = 1", inputs: []string{"t"}},
		{name: "Window", sql: "select row_number() over (partition by a order by b) rn from t window w as (partition by c) order by rn", inputs: []string{"t"}},
		{name: "ClauseTail", dialect: Hive, sql: "select a from t distribute by a sort by b cluster by c limit 10", inputs: []string{"t"}},
		{name: "TableQuery", dialect: Spark, sql: "insert into t table s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "Tablesample", dialect: Hive, sql: "select * from t tablesample (bucket 1 out of 4 on id) s", inputs: []string{"t"}},
		{name: "ParenJoin", sql: "select * from (a join b on a.x = b.x) left join c on c.x = a.x", inputs: []string{"a", "b", "c"}},
		{name: "GroupingSets", sql: "select a, b from t group by a, b grouping sets ((a), (a, b)) with rollup", inputs: []string{"t"}},
		{name: "CaseWhen", sql: "select case when a in (select a from s) then 1 else 0 end from t", inputs: []string{"s", "t"}},
		{name: "ByteOrderMark", sql: "\ufeffinsert overwrite table t\r\nselect a from s;\r\n", inputs: []string{"s"}, outputs: []string{"t"}},
		// White space beyond ASCII separates words; other characters that share its first byte do not.
		{name: "NoBreakAndIdeographicSpaces", sql: "insert\u00a0overwrite table\u3000t\u2003select\u00a0a,\u3000b from\u00a0s\u202f\u3000;\u00a0", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "ByteOrderMarkBetweenScripts", sql: "insert into t select a from s;\r\n\ufeffinsert into u select b from v", inputs: []string{"s", "v"}, outputs: []string{"t", "u"}},
		{name: "SpaceLeadBytesInNames", sql: "insert into a’b select x from c—d\u3000join 「表」 on 1=1", inputs: []string{"c—d", "「表」"}, outputs: []string{"a’b"}},
		{name: "SpaceBeforeVariableAndNumber", sql: "insert into t_${bizdate}\u00a0select 1\u00a0from s where x=@v\u3000and y = 1.\u00a0", inputs: []string{"s"}, outputs: []string{"t_${bizdate}"}},
	})
}

func TestExtract_NoLineage(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "CreateColumns", sql: "create table if not exists t (a string comment 'from x', b bigint) partitioned by (ds string) lifecycle 30"},
		{name: "CreateLike", sql: "create table t like s"},
		{name: "Drop", sql: "drop table if exists t"},
		{name: "Truncate", sql: "truncate table t"},
		{name: "Alter", sql: "alter table t add if not exists partition (ds='1'); alter table t drop partition (ds='0')"},
		{name: "Msck", dialect: Hive, sql: "msck repair table t"},
		{name: "Set", sql: "set odps.sql.allow.fullscan=true; set hive.exec.dynamic.partition.mode=nonstrict"},
		{name: "AddFile", dialect: Hive, sql: "add file /tmp/x.py; add jar hdfs:///a/b.jar"},
		{name: "SelectOne", sql: "select 1"},
		{name: "Empty", sql: ";;  -- only a comment\n/* and a block */ ;"},
		{name: "UseShow", dialect: Spark, sql: "use db; show tables; describe t; refresh table t; analyze table t compute statistics"},
	})
}

func TestExtract_NotTables(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "AliasEqualsTable", sql: "select * from a b join b a on a.x = b.x", inputs: []string{"a", "b"}},
		{name: "AliasNotTable", sql: "select * from orders o join users u on o.uid = u.id", inputs: []string{"orders", "users"}},
		{name: "LateralView", dialect: Hive, sql: "select t.id, tag from t lateral view explode(split(t.tags, ',')) tt as tag lateral view outer posexplode(arr) p as i, v", inputs: []string{"t"}},
		{name: "LateralViewJsonTuple", dialect: Hive, sql: "select a.k from src s lateral view json_tuple(s.js, 'k', 'v') a as k, v where s.ds = '1'", inputs: []string{"src"}},
		{name: "ODPSVar", sql: "@a := select * from s where ds = '1'; @b := select * from @a join u on @a.id = u.id; insert overwrite table t select * from @b", inputs: []string{"s", "u"}, outputs: []string{"t"}},
		{name: "TableFunction", sql: "select * from range(24) r cross join t", inputs: []string{"t"}},
		{name: "InlineValues", sql: "select * from values (1, 'a'), (2, 'b') as v(id, name) join t on t.id = v.id", inputs: []string{"t"}},
		{name: "Strings", sql: "select 'from fake_a', \"join fake_b\" from t where x = 'insert into fake_c select 1'", inputs: []string{"t"}},
		{name: "Comments", sql: "-- insert into fake_a select * from fake_b\nselect /* from fake_c */ a from t -- join fake_d\n", inputs: []string{"t"}},
		{name: "Hint", sql: "select /*+ MAPJOIN(d) */ f.a from f join d on f.k = d.k", inputs: []string{"d", "f"}},
		{name: "EscapedString", sql: `select 'it\'s from x; y', "a\"b from z;" from t; select 'a''b' from u`, inputs: []string{"t", "u"}},
		{name: "SemicolonInComment", sql: "select a -- end;\nfrom t /* ; */ ; select 1", inputs: []string{"t"}},
		{name: "TempView", dialect: Spark, sql: "create or replace temporary view v as select * from s; insert into t select * from v", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "TempViewBeforeIsTable", dialect: Spark, sql: "select * from v; create temporary view v as select * from s", inputs: []string{"s", "v"}},
		{name: "TempTable", dialect: Hive, sql: "create temporary table tt as select * from s; insert into t select * from tt", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "CacheTable", dialect: Spark, sql: "cache table c as select * from s; insert into t select * from c", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "CTEAlsoTableElsewhere", sql: "insert into t select * from x; with x as (select * from s) insert into u select * from x", inputs: []string{"s", "x"}, outputs: []string{"t", "u"}},
	})
}

func TestExtract_Temporary(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "CreatedThenDropped", sql: `drop table if exists tmp_a;
create table tmp_a as select * from s;
insert overwrite table t select * from tmp_a;
drop table if exists tmp_a;`, inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "CaseInsensitive", sql: "create table `Tmp_B` (a string); insert into TMP_B select a from s; insert into t select * from tmp_b; drop table tmp_b", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "DropBeforeCreateSurvives", sql: "drop table if exists r; create table r as select * from s", inputs: []string{"s"}, outputs: []string{"r"}},
		{name: "RecreatedSurvives", sql: "create table r as select * from s; drop table r; create table r as select * from u", inputs: []string{"s", "u"}, outputs: []string{"r"}},
		{name: "DroppedNotCreated", sql: "insert into r select * from s; drop table r", inputs: []string{"s"}, outputs: []string{"r"}},
	})
}

func TestExtract_ScriptControl(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "IfBegin", sql: "@c := select count(*) from s; IF @c > 0 BEGIN insert overwrite table t select * from s; END ELSE BEGIN insert overwrite table u select * from v; END;", inputs: []string{"s", "v"}, outputs: []string{"t", "u"}},
	})
}

// Hive's MAP ... USING and REDUCE ... USING stand where SELECT TRANSFORM
// (...) USING stands, in Hive and in Spark's Hive-compatible grammar; the
// words still name columns, functions and aliases elsewhere.
func TestExtract_MapReduce(t *testing.T) {
	cases := []lineageCase{
		{name: "FromFirst", dialect: Hive, sql: "FROM (FROM src MAP src.key, src.key USING 'cat' DISTRIBUTE BY key, value) tmap INSERT OVERWRITE TABLE d REDUCE tmap.key, tmap.value USING 'x.py' AS key, value", inputs: []string{"src"}, outputs: []string{"d"}},
		{name: "ClusterBy", dialect: Hive, sql: "FROM (FROM src MAP src.key, src.value USING 'cat' AS k, v CLUSTER BY k) tmap INSERT OVERWRITE TABLE dest REDUCE tmap.k, tmap.v USING 'cat' AS k, v", inputs: []string{"src"}, outputs: []string{"dest"}},
		{name: "Standalone", dialect: Spark, sql: "MAP k / 10 USING 'cat' AS (one) FROM (SELECT 10 AS k) t; MAP a USING 'cat' FROM s", inputs: []string{"s"}},
		{name: "MultiInsertBranches", dialect: Hive, sql: "FROM src INSERT OVERWRITE TABLE d MAP a, b USING 'cat' AS x, y INSERT OVERWRITE TABLE e REDUCE a USING 'r.py' AS (z string) WHERE b > 0", inputs: []string{"src"}, outputs: []string{"d", "e"}},
		{name: "InsertQuery", dialect: Hive, sql: "insert overwrite table d reduce a, b using 'r.py' as (x, y) from s where c in (select c from u)", inputs: []string{"s", "u"}, outputs: []string{"d"}},
		{name: "SerdeClauses", dialect: Hive, sql: "insert overwrite table d map a, b row format delimited fields terminated by ',' null defined as '' recordwriter 'w' using 'cat' as (x string, y int) row format serde 'x.S' with serdeproperties ('k'='v') recordreader 'r' from s", inputs: []string{"s"}, outputs: []string{"d"}},
		{name: "TransformSerde", dialect: Hive, sql: "insert overwrite table d select transform(a, b) row format delimited fields terminated by '@' using 'cat' as (x, y) row format delimited null defined as 'N' recordreader 'r' from s", inputs: []string{"s"}, outputs: []string{"d"}},
		{name: "SubqueryUnionCTAS", dialect: Hive, sql: "insert into d select * from (map a using 'cat' as x from s) t union all map b using 'cat' as x from u where b in (reduce c using 'r' from v); create table e as reduce a using 'r' as x from w", inputs: []string{"s", "u", "v", "w"}, outputs: []string{"d", "e"}},
		{name: "WithThenReduce", dialect: Spark, sql: "with c as (select * from s) reduce a using 'r' as x from c", inputs: []string{"s"}},
		{name: "DirectoryBranch", dialect: Hive, sql: "from s insert overwrite directory '/x' map a using 'cat' insert overwrite table d select b", inputs: []string{"s"}, outputs: []string{"d"}},
		// Not the clause: no USING 'script' before the list would end.
		{name: "WordsStayNames", dialect: Spark, sql: "select map('a', 1), map, reduce from t map where map.x = 1; select a from t2 reduce join u on reduce.id = u.id; from t3 map select map.a", inputs: []string{"t", "t2", "t3", "u"}},
		{name: "MapKeysOfRowFormat", dialect: Hive, sql: "insert overwrite local directory '/x' row format delimited map keys terminated by ':' select a from s", inputs: []string{"s"}},
		{name: "NoUsing", dialect: Hive, sql: "map a from t", inputs: []string{"t"}, errors: 1},
	}
	runCases(t, cases)
	columnsAgree(t, cases)
}

// Hive's FROM UNIQUEJOIN [PRESERVE] src alias (keys), ...: its items are the
// inputs, and the keyword is no table.
func TestExtract_UniqueJoin(t *testing.T) {
	cases := []lineageCase{
		{name: "FromFirst", dialect: Hive, sql: "FROM UNIQUEJOIN PRESERVE T1 a (a.key), PRESERVE T2 b (b.key), T3 c (c.key) SELECT a.key, b.key, c.key", inputs: []string{"t1", "t2", "t3"}},
		{name: "Insert", dialect: Hive, sql: "INSERT OVERWRITE TABLE d SELECT a.key FROM UNIQUEJOIN PRESERVE t1 a (a.key, a.val), t2 b (b.key, b.val)", inputs: []string{"t1", "t2"}, outputs: []string{"d"}},
		{name: "NoAliasJoinedParen", dialect: Hive, sql: "FROM UNIQUEJOIN t1 (t1.key), PRESERVE t2 b(b.key-1) SELECT t1.key", inputs: []string{"t1", "t2"}},
		{name: "SubqueriesAndKeys", dialect: Hive, sql: "from uniquejoin (select * from s) a (a.k), preserve db.t as b (b.k + (select max(k) from m)), u tablesample (bucket 1 out of 2 on k) c (c.k) insert overwrite table d select a.k", inputs: []string{"db.t", "m", "s", "u"}, outputs: []string{"d"}},
		{name: "TableNamedUniquejoin", dialect: Spark, sql: "select * from uniquejoin u where u.x = 1; select * from uniquejoin", inputs: []string{"uniquejoin"}},
		{name: "KeysMissing", dialect: Hive, sql: "FROM UNIQUEJOIN t1 a (a.key), t2 b SELECT a.key", inputs: []string{"t1", "t2"}, errors: 1},
	}
	runCases(t, cases)
	columnsAgree(t, cases)
}

// columnsAgree holds the column parser to the table parser's answer on
// cases: no failure of its own, sources among the inputs, targets among
// the outputs.
func columnsAgree(t *testing.T, cases []lineageCase) {
	t.Helper()
	for _, tc := range cases {
		tab := Extract(tc.sql, tc.dialect)
		res := ExtractColumns(tc.sql, tc.dialect, nil)
		if len(res.Errors) != len(tab.Errors) {
			t.Errorf("%s: column lineage errors = %+v, want the table lineage's %+v", tc.name, res.Errors, tab.Errors)
		}
		for _, c := range res.Columns {
			if !hasTable(res.Outputs, c.Target) {
				t.Errorf("%s: column target %s not in outputs %v", tc.name, c.Target, res.Outputs)
			}
			for _, s := range c.Sources {
				if !hasTable(res.Inputs, s) {
					t.Errorf("%s: column source %s of %s not in inputs %v", tc.name, s, c.Target, res.Inputs)
				}
			}
		}
	}
}

func TestExtract_Errors(t *testing.T) {
	res := Extract("insert into a select * from b;\nselect from from where;\ninsert into c select * from d; select 'open", ODPS)
	if !slices.Equal(res.Inputs, []string{"b", "d"}) || !slices.Equal(res.Outputs, []string{"a", "c"}) {
		t.Errorf("lineage = %v %v", res.Inputs, res.Outputs)
	}
	if len(res.Errors) != 2 {
		t.Fatalf("errors = %+v, want 2", res.Errors)
	}
	e := res.Errors[0]
	if e.Index != 2 || e.Line != 2 || e.Column != 13 || e.Offset != 43 || e.Reason == "" {
		t.Errorf("first error = %+v", e)
	}
	e = res.Errors[1]
	if e.Index != 4 || e.Line != 3 || !strings.Contains(e.Reason, "unterminated") {
		t.Errorf("second error = %+v", e)
	}
}

func TestParseDialect(t *testing.T) {
	for _, s := range []string{"odps", "hive", "spark"} {
		if d, err := ParseDialect(s); err != nil || string(d) != s {
			t.Errorf("ParseDialect(%q) = %q, %v", s, d, err)
		}
	}
	if _, err := ParseDialect("mysql"); err == nil {
		t.Error("ParseDialect(mysql) succeeded")
	}
}
