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
			checkColumns(t, tc.sql, d, got)
		})
	}
}

// checkColumns holds the column parser to the table parser's answer: a
// statement the table parser understands must not make the column parser
// fail, every column source must be among the inputs and every target among
// the outputs.
func checkColumns(t *testing.T, sql string, d Dialect, tab Result) {
	t.Helper()
	res := ExtractColumns(sql, d, nil)
	if len(res.Errors) != len(tab.Errors) {
		t.Errorf("column lineage errors = %+v, want the table lineage's %+v", res.Errors, tab.Errors)
	}
	for _, c := range res.Columns {
		if !hasTable(res.Outputs, c.Target) {
			t.Errorf("column target %s not in outputs %v", c.Target, res.Outputs)
		}
		for _, s := range c.Sources {
			if !hasTable(res.Inputs, s) {
				t.Errorf("column source %s of %s not in inputs %v", s, c.Target, res.Inputs)
			}
		}
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
		{name: "ZorderBy", sql: "insert overwrite table t partition (ds='1') select a, b from s zorder by a, b; insert into u select zorder from s zorder by zorder", inputs: []string{"s"}, outputs: []string{"t", "u"}},
		{name: "HiveImport", dialect: Hive, sql: "import external table t partition (ds='1') from '/exports/t' location '/warehouse/t'", outputs: []string{"t"}},
		{name: "HiveExport", dialect: Hive, sql: "export table s partition (ds='1') to '/exports/s'", inputs: []string{"s"}},
		{name: "HiveImportUnnamed", dialect: Hive, sql: "import from '/exports/t'", errors: 1},
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
		{name: "Namespace", dialect: Spark, sql: "create namespace if not exists ns; alter namespace ns set location '/x'; drop namespace ns cascade"},
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

// Hive's partitioned table functions read their ON source, a FROM item.
func TestExtract_TableFunctionOn(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Select", dialect: Hive, sql: "select p_mfgr from noop(on part partition by p_mfgr order by p_name)", inputs: []string{"part"}},
		{name: "MultiInsert", dialect: Hive, sql: "from noop(on part partition by p_mfgr order by p_name) insert overwrite table p4 select p_mfgr, p_name insert overwrite table p5 select p_size", inputs: []string{"part"}, outputs: []string{"p4", "p5"}},
		{name: "Nested", dialect: Hive, sql: "select p_mfgr from noop(on noopwithmap(on part partition by p_mfgr) partition by p_mfgr)", inputs: []string{"part"}},
		{name: "MatchpathArgs", dialect: Hive, sql: "select origin_city_name, fl_num from matchpath(on flights_tiny distribute by fl_num sort by year arg1('LATE.LATE+'), arg2('LATE'), arg3(arr_delay > 15)) x", inputs: []string{"flights_tiny"}},
		{name: "OnSubqueryAlias", dialect: Hive, sql: "insert into t select p_name from noop(on (select p1.* from part p1 join part2 p2 on p1.k = p2.k) j distribute by j.p_mfgr sort by j.p_name) abc", inputs: []string{"part", "part2"}, outputs: []string{"t"}},
		{name: "OnAliasedTable", dialect: Hive, sql: "select * from noop(on part p cluster by p.p_mfgr)", inputs: []string{"part"}},
		{name: "Joined", dialect: Hive, sql: "select abc.* from part3 p1 join noop(on part partition by p_mfgr order by p_name) abc on abc.k = p1.k", inputs: []string{"part", "part3"}},
		{name: "ArgSubquery", dialect: Hive, sql: "select * from noop(on part partition by p_mfgr arg1((select max(x) from q)))", inputs: []string{"part", "q"}},
		{name: "OnCTE", dialect: Hive, sql: "with c as (select * from s) insert into t select * from noop(on c partition by a)", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "MergeUsing", dialect: Hive, sql: "merge into t using noop(on s partition by id) x on t.id = x.id when matched then delete", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "Unclosed", dialect: Hive, sql: "select * from noop(on part partition by a", inputs: []string{"part"}, errors: 1},
		{name: "PartitionSpecStillRead", dialect: Hive, sql: "select * from t partition (ds='1') join u partition (ds='1') on t.k = u.k", inputs: []string{"t", "u"}},
	})
}

// Spark's IDENTIFIER clause names a table by a string; with anything else
// the table is known only when the statement runs.
func TestExtract_IdentifierClause(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "InsertTarget", dialect: Spark, sql: "INSERT INTO IDENTIFIER('db.tgt') SELECT * FROM src", inputs: []string{"src"}, outputs: []string{"db.tgt"}},
		{name: "From", dialect: Spark, sql: "select * from IDENTIFIER('T') t join identifier(\"x.y\") u on t.k = u.k", inputs: []string{"t", "x.y"}},
		{name: "BackquotedParts", dialect: Spark, sql: "select * from identifier('`My Db`.`T.x`')", inputs: []string{"my db.t.x"}},
		{name: "ThreeParts", dialect: Spark, sql: "insert overwrite table identifier('cat.db.t') partition (ds='1') select * from s", inputs: []string{"s"}, outputs: []string{"cat.db.t"}},
		{name: "TableValuedFunction", dialect: Spark, sql: "select * from IDENTIFIER('range')(3) r join t on r.id = t.id", inputs: []string{"t"}},
		{name: "TableQuery", dialect: Spark, sql: "table identifier('s')", inputs: []string{"s"}},
		{name: "CTAS", dialect: Spark, sql: "create table identifier('ct') using parquet as select * from identifier('s')", inputs: []string{"s"}, outputs: []string{"ct"}},
		{name: "MergeUsing", dialect: Spark, sql: "merge into identifier('m') t using identifier('s') s on t.id = s.id when matched then delete", inputs: []string{"s"}, outputs: []string{"m"}},
		{name: "UpdateDelete", dialect: Spark, sql: "update identifier('u') set a = 1; delete from identifier('d') where a in (select a from identifier('s'))", inputs: []string{"s"}, outputs: []string{"d", "u"}},
		{name: "CTENameInString", dialect: Spark, sql: "with c as (select * from s) select * from identifier('c')", inputs: []string{"s"}},
		{name: "CreatedThenDropped", dialect: Spark, sql: "create table identifier('tmp') as select * from s; insert into t select * from tmp; drop table identifier('TMP')", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "OtherDialectsString", dialect: Hive, sql: "insert into identifier('t') select * from identifier('s')", inputs: []string{"s"}, outputs: []string{"t"}},
		// Not known before the statement runs: reported, no table made up.
		{name: "ParameterMarker", dialect: Spark, sql: "INSERT INTO IDENTIFIER(:tbl) SELECT * FROM src", inputs: []string{"src"}, errors: 1},
		{name: "Variable", dialect: Spark, sql: "select * from IDENTIFIER(tab_var)", errors: 1},
		{name: "Expression", dialect: Spark, sql: "select * from identifier('db.' || 't')", errors: 1},
		{name: "NotAName", dialect: Spark, sql: "select * from identifier('a b')", errors: 1},
		{name: "Escape", dialect: Spark, sql: "select * from identifier('a\\'b')", errors: 1},
		{name: "TrailingDot", dialect: Spark, sql: "insert into identifier('db.') select 1", errors: 1},
		// A table named identifier is still one where the clause is not Spark's.
		{name: "TableNamedIdentifier", dialect: Hive, sql: "insert into identifier (a, b) select a, b from identifier", inputs: []string{"identifier"}, outputs: []string{"identifier"}},
	})
}

// Options of a table read belong to the table: Hive 4's t('k'='v') is no
// table function.
func TestExtract_TableOptions(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Hive", dialect: Hive, sql: "select * from t1('acid.fetch.deleted.rows'='true')", inputs: []string{"t1"}},
		{name: "HiveAliasJoin", dialect: Hive, sql: "select a.x from t1('k'='v') a join db.t2('k'='v', 'k2'='v2') as b on a.id = b.id", inputs: []string{"db.t2", "t1"}},
		{name: "HiveMultiInsert", dialect: Hive, sql: "from t1('acid.fetch.deleted.rows'='true') insert overwrite table x select a insert into table y select b", inputs: []string{"t1"}, outputs: []string{"x", "y"}},
		{name: "HiveMergeUsing", dialect: Hive, sql: "merge into t using s('k'='v') x on t.id = x.id when matched then delete", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "HiveThenTablesample", dialect: Hive, sql: "select * from t1('k'='v') tablesample (bucket 1 out of 2 on id) s", inputs: []string{"t1"}},
		{name: "SparkWith", dialect: Spark, sql: "insert into x select * from t with ('k' = 'v') as a join u with (`fs.opt` = 1) b on a.id = b.id", inputs: []string{"t", "u"}, outputs: []string{"x"}},
		// A string argument alone is a function's.
		{name: "FunctionOfString", dialect: Hive, sql: "select * from f('x') join t on 1=1", inputs: []string{"t"}},
	})
}

// Time travel reads the table as of a version or a time: Spark and Delta,
// Iceberg on Hive, MaxCompute.
func TestExtract_TimeTravel(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "TimestampString", dialect: Spark, sql: "CREATE TABLE tgt AS SELECT * FROM src TIMESTAMP AS OF '2024-01-01'", inputs: []string{"src"}, outputs: []string{"tgt"}},
		{name: "VersionAlias", dialect: Spark, sql: "SELECT * FROM delta.`/data/x` VERSION AS OF 3 v join u as w on v.id = w.id join db.events version as of 4 e on e.id = v.id", inputs: []string{"db.events", "u"}},
		{name: "ForSystemTime", dialect: Hive, sql: "select * from t for system_time as of '2024-01-01 00:00:00' as a join u for system_version as of 1234 b on a.id = b.id", inputs: []string{"t", "u"}},
		{name: "ForVersionString", dialect: Spark, sql: "select * from t for version as of 'branch_1', u system_time as of '2024-01-01' x", inputs: []string{"t", "u"}},
		{name: "Expression", dialect: Spark, sql: "select * from t timestamp as of current_timestamp() - interval 1 day y join u timestamp as of date_sub(current_date(), 1) on y.id = u.id", inputs: []string{"t", "u"}},
		{name: "TypedLiteralAndCast", dialect: Spark, sql: "select * from t timestamp as of timestamp '2024-01-01' - interval '1' hour, u timestamp as of cast('2024-01-01' as timestamp) tablesample (10 percent) s", inputs: []string{"t", "u"}},
		{name: "SubqueryValue", dialect: Spark, sql: "select * from t timestamp as of (select max(ts) from meta) a", inputs: []string{"meta", "t"}},
		{name: "ODPS", sql: "insert overwrite table x select * from t timestamp as of '2024-01-01 00:00:00' where ds = '1'", inputs: []string{"t"}, outputs: []string{"x"}},
		{name: "MergeUsing", dialect: Spark, sql: "merge into tgt using src version as of 2 s on tgt.id = s.id when matched then delete", inputs: []string{"src"}, outputs: []string{"tgt"}},
		{name: "MultiInsertFrom", dialect: Hive, sql: "from src for system_version as of 7 insert overwrite table x select a insert into table y select b", inputs: []string{"src"}, outputs: []string{"x", "y"}},
		{name: "CTEAndSubquery", dialect: Spark, sql: "with c as (select * from s version as of 1) select * from c where id in (select id from u timestamp as of '2024-01-01')", inputs: []string{"s", "u"}},
		// Without AS OF those words are aliases.
		{name: "AliasesNamedVersionTimestamp", dialect: Spark, sql: "select version.a, timestamp.b from t version join u timestamp on version.id = timestamp.id", inputs: []string{"t", "u"}},
		{name: "AliasNamedFor", dialect: Hive, sql: "select * from t for join u on 1=1", inputs: []string{"t", "u"}},
		{name: "NoValue", dialect: Spark, sql: "select * from t timestamp as of", inputs: []string{"t"}, errors: 1},
		// Delta's CLONE writes the new table from the source, as of a version or not.
		{name: "DeltaShallowClone", dialect: Spark, sql: "create table t shallow clone src version as of 3", inputs: []string{"src"}, outputs: []string{"t"}},
		{name: "DeltaDeepCloneReplace", dialect: Spark, sql: "create or replace table t2 deep clone db.src2 timestamp as of '2024-01-01' tblproperties ('k' = 'v') location '/x'", inputs: []string{"db.src2"}, outputs: []string{"t2"}},
		{name: "DeltaClone", dialect: Spark, sql: "create table if not exists t3 clone src3; replace table t4 clone src4", inputs: []string{"src3", "src4"}, outputs: []string{"t3", "t4"}},
		{name: "DeltaCloneCreatedThenDropped", dialect: Spark, sql: "create table bak clone src; insert into t select * from bak; drop table bak", inputs: []string{"src"}, outputs: []string{"t"}},
	})
}

// Inline VALUES are no tables in any of Spark's forms.
func TestExtract_InlineValues(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "RowsWithoutParentheses", dialect: Spark, sql: "insert into x select * from values 0, 1, 2 as t(id)", outputs: []string{"x"}},
		{name: "RowsWithoutParenthesesJoin", dialect: Spark, sql: "insert into x select * from values 1, 2 t(id) join s on s.id = t.id", inputs: []string{"s"}, outputs: []string{"x"}},
		{name: "QueryWithAlias", dialect: Spark, sql: "CREATE OR REPLACE TEMPORARY VIEW p AS VALUES (1, 1) AS T(pk, pv); insert into x select * from p", outputs: []string{"x"}},
		{name: "QueryAliasWithoutAs", dialect: Spark, sql: "CREATE OR REPLACE VIEW v AS VALUES (1, 'a'), (2, 'b') tbl(c1, c2)", outputs: []string{"v"}},
		{name: "CTEBody", dialect: Spark, sql: "WITH y AS (VALUES (1) AS t(id)) insert into x SELECT * FROM y", outputs: []string{"x"}},
		{name: "UnionBranch", dialect: Spark, sql: "insert into x select a from s union all values (1) as v(a) union all values 2, 3", inputs: []string{"s"}, outputs: []string{"x"}},
		{name: "InsertValuesAlias", dialect: Spark, sql: "insert into x values (1, 2) as v(a, b)", outputs: []string{"x"}},
		{name: "DerivedValues", dialect: Spark, sql: "select * from (values (1, 2)) as v(a, b) join t on t.a = v.a", inputs: []string{"t"}},
		{name: "RowsWithSubquery", dialect: Spark, sql: "insert into x values ((select max(a) from s)), (2)", inputs: []string{"s"}, outputs: []string{"x"}},
		{name: "ParenthesisedRowsThenComma", dialect: Hive, sql: "insert into table x values (1, 'a'), (2, 'b')", outputs: []string{"x"}},
	})
}

func TestExtract_CTEForms(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Materialized", dialect: Spark, sql: "INSERT INTO cte_tbl WITH s AS MATERIALIZED (SELECT 47 AS col) SELECT col FROM s UNION ALL SELECT col FROM s", outputs: []string{"cte_tbl"}},
		{name: "NotMaterialized", dialect: Spark, sql: "with s as not materialized (select * from a) insert into b select * from s", inputs: []string{"a"}, outputs: []string{"b"}},
		{name: "MaterializedMultiInsert", dialect: Spark, sql: "WITH s AS MATERIALIZED (SELECT * FROM a) FROM s INSERT INTO t1 SELECT col INSERT INTO t2 SELECT col", inputs: []string{"a"}, outputs: []string{"t1", "t2"}},
		{name: "MaterializedSecondAndColumns", dialect: Spark, sql: "with s as (select * from a), u (x) as not materialized (select * from s join b on 1=1) select * from u", inputs: []string{"a", "b"}},
		{name: "MaterializedCTASWithoutAs", dialect: Spark, sql: "create table c using parquet with s as materialized (select * from a) select * from s", inputs: []string{"a"}, outputs: []string{"c"}},
		{name: "MaterializedInSubquery", dialect: Spark, sql: "select * from (with s as materialized (select * from a) select * from s) z", inputs: []string{"a"}},
		// A statement-level WITH RECURSIVE sees its own names, as a query's does.
		{name: "RecursiveBeforeInsert", dialect: Spark, sql: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) INSERT INTO tgt SELECT * FROM r", outputs: []string{"tgt"}},
		{name: "RecursiveBeforeInsertReads", dialect: Spark, sql: "with recursive y as (select * from s), x as (select * from y union all select id + 1 from x where id < 5) insert into t select * from x", inputs: []string{"s"}, outputs: []string{"t"}},
	})
}

// PIVOT and UNPIVOT turn a relation's rows: their aliases are no tables.
func TestExtract_PivotUnpivot(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "UnpivotIncludeNulls", dialect: Spark, sql: "SELECT * FROM courseEarnings UNPIVOT INCLUDE NULLS (e FOR year IN (a, b))", inputs: []string{"courseearnings"}},
		{name: "UnpivotExcludeNullsAlias", dialect: Spark, sql: "insert into x select u.* from t unpivot exclude nulls (v for k in (a as x, b as y)) as u join w on u.id = w.id", inputs: []string{"t", "w"}, outputs: []string{"x"}},
		{name: "UnpivotMultiValue", dialect: Spark, sql: "select * from t unpivot ((e, s) for year in ((e1, s1) as `2012`, (e2, s2) as `2013`)) u", inputs: []string{"t"}},
		{name: "PivotAlias", dialect: Spark, sql: "select p.*, s.n from dw.sales pivot (sum(amount) as s, avg(x) for quarter in ('Q1' as q1, 'Q2')) p join dw.dim_store s on p.id = s.id", inputs: []string{"dw.dim_store", "dw.sales"}},
		{name: "PivotDerived", dialect: Spark, sql: "select * from (select * from s) t pivot (count(1) for k in (1, 2)) as p", inputs: []string{"s"}},
		{name: "PivotAfterJoinAndComma", dialect: Spark, sql: "select * from a join b on a.id = b.id pivot (sum(v) for k in ('x')) p, c unpivot (v for k in (c1, c2))", inputs: []string{"a", "b", "c"}},
		{name: "PivotCTE", dialect: ODPS, sql: "with c as (select * from s) insert overwrite table x select * from c pivot (sum(v) for k in ('a', 'b')) p", inputs: []string{"s"}, outputs: []string{"x"}},
		{name: "MultiInsertFrom", dialect: Hive, sql: "from t unpivot (v for k in (a, b)) u insert overwrite table x select k insert into table y select v", inputs: []string{"t"}, outputs: []string{"x", "y"}},
		// Without a clause after them the words are aliases.
		{name: "AliasesNamedPivot", dialect: Spark, sql: "select pivot.a, unpivot.b from s pivot join u unpivot on pivot.id = unpivot.id", inputs: []string{"s", "u"}},
		{name: "Unclosed", dialect: Spark, sql: "select * from t unpivot include nulls (v for k in (a, b)", inputs: []string{"t"}, errors: 1},
		// A top-level comma ends a join condition, pivoted or not.
		{name: "JoinConditionThenComma", dialect: Hive, sql: "select * from a join b on a.id = b.id and b.x in (1, 2), c left join d on c.id = d.id", inputs: []string{"a", "b", "c", "d"}},
	})
}

// OPTIONS and TBLPROPERTIES are key-value lists whose keys may be any word,
// never queries or tables.
func TestExtract_PropertyLists(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "KeywordKeys", dialect: Spark, sql: "CREATE TEMPORARY VIEW v USING org.apache.spark.sql.sources.DDLScanSource OPTIONS (From '1', To '10', Table 'test1')"},
		{name: "KeywordKeysThenUse", dialect: Spark, sql: "CREATE TEMPORARY VIEW v USING parquet OPTIONS (path '1', Table 'test1'); insert into x select * from v", outputs: []string{"x"}},
		{name: "CTASOptions", dialect: Spark, sql: "create table t using parquet options (path '/x', from 'y', select 'z') as select a, b from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "CTASWithoutAsOptions", dialect: Spark, sql: "create table t using parquet options (from 'y') select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "TblpropertiesWordKeys", dialect: Spark, sql: "create table t using delta tblproperties (delta.appendOnly = true, table = 'x') as select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "ViewTblproperties", dialect: Hive, sql: "create view v tblproperties ('from'='x') as select a from s", inputs: []string{"s"}, outputs: []string{"v"}},
		{name: "SerdeProperties", dialect: Hive, sql: "create table t row format serde 'x' with serdeproperties (from = 'a') stored as textfile as select * from s", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "InsertDirectoryOptions", dialect: Spark, sql: "insert overwrite directory '/tmp/o' using parquet options (from 'x', table 'y') select * from s", inputs: []string{"s"}},
		{name: "CacheOptions", dialect: Spark, sql: "cache table c options ('storageLevel' 'DISK_ONLY', from 'x') select * from s; insert into t select * from c", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "TableNamedOptions", dialect: Spark, sql: "create table options (a int); insert into options select a from s", inputs: []string{"s"}, outputs: []string{"options"}},
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
		// A session object is no table whichever way it is used: written, loaded, merged into, or read.
		{name: "SessionTableWritten", dialect: Hive, sql: "create temporary table tt (c string); insert overwrite table tt select c from src; insert into t select * from tt", inputs: []string{"src"}, outputs: []string{"t"}},
		{name: "SessionTableLoaded", dialect: Hive, sql: "create temporary table tt (c string); load data local inpath '/x' into table tt; insert into t select * from tt", outputs: []string{"t"}},
		{name: "SessionCTASWrittenAgain", dialect: Hive, sql: "create temporary table tt as select * from a; insert into tt select c from src; insert into t select * from tt", inputs: []string{"a", "src"}, outputs: []string{"t"}},
		{name: "SessionViewWritten", dialect: Spark, sql: "create temporary view v using parquet options (path '/x'); insert into v select * from s", inputs: []string{"s"}},
		{name: "SessionTableMergedUpdatedDeleted", dialect: Spark, sql: "cache table c as select * from s; merge into c using u on c.k = u.k when matched then delete; update c set a = 1; delete from c where a = 2", inputs: []string{"s", "u"}},
		{name: "SessionWrittenBeforeCreateIsTable", dialect: Hive, sql: "insert into tt select * from s; create temporary table tt (c string)", inputs: []string{"s"}, outputs: []string{"tt"}},
		{name: "GlobalTempView", dialect: Spark, sql: "create global temporary view gv as select * from s; insert into t select * from global_temp.gv; select * from gv", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "GlobalTempOtherSchema", dialect: Spark, sql: "create temporary view v as select * from s; select * from global_temp.v", inputs: []string{"global_temp.v", "s"}},
	})
}

// TestExtract_CTEScope checks which names a WITH entry's body sees: the entries before it; itself and the
// others too in WITH RECURSIVE, at the statement's level as well as inside a query; in Hive every other
// entry of its WITH, those after it too.
func TestExtract_CTEScope(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Recursive", dialect: Spark, sql: "with recursive r(level) as (select 0 union all select level + 1 from r where level < 10) select * from r", inputs: []string{}},
		{name: "RecursiveBeforeInsert", dialect: Spark, sql: "with recursive r(n) as (select n from seed union all select n + 1 from r where n < 3) insert into t select n from r", inputs: []string{"seed"}, outputs: []string{"t"}},
		{name: "RecursiveInSubquery", dialect: Spark, sql: "insert into t select * from (with recursive r(n) as (select 1 union all select n + 1 from r) select n from r) x", outputs: []string{"t"}},
		{name: "NotRecursiveSelfIsTable", dialect: Spark, sql: "with r as (select * from r) select * from r", inputs: []string{"r"}},
		{name: "HiveForward", dialect: Hive, sql: "with q1 as (select key from q2 where key = '5'), q2 as (select key from src where key = '5') select * from (select key from q1) a", inputs: []string{"src"}},
		{name: "HiveForwardInsert", dialect: Hive, sql: "with a as (select * from b), b as (select * from s) insert overwrite table t select * from a", inputs: []string{"s"}, outputs: []string{"t"}},
		{name: "HiveSelfIsTable", dialect: Hive, sql: "with a as (select * from a) select * from a", inputs: []string{"a"}},
		{name: "SparkForwardIsTable", dialect: Spark, sql: "with q1 as (select key from q2), q2 as (select key from src) select * from q1", inputs: []string{"q2", "src"}},
		{name: "ODPSForwardIsTable", sql: "with q1 as (select key from q2), q2 as (select key from src) select * from q1", inputs: []string{"q2", "src"}},
	})
}

// TestExtract_ParameterizedViews checks MaxCompute's parameterized views: a call in FROM reads the view and
// the tables passed to its table parameters; built-in table functions stay functions, and other dialects'
// calls stay table functions.
func TestExtract_ParameterizedViews(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "DefineAndCall", sql: "create view pv1(@a table(k string, v bigint), @b string) as select srcp.key from srcp join @a on srcp.key = a.k where srcp.p = @b; insert overwrite table dst select * from pv1(src2, '20170101')", inputs: []string{"pv1", "src2", "srcp"}, outputs: []string{"dst", "pv1"}},
		{name: "SubqueryAndScalars", sql: "select * from other_proj.param_view((select * from students), school, ${bizdate}, null, true, db.t2, 1 + 2, f(x)) x", inputs: []string{"db.t2", "other_proj.param_view", "school", "students"}},
		{name: "JoinedAndAliased", sql: "select a.k from t a join pv(b) v on a.k = v.k", inputs: []string{"b", "pv", "t"}},
		{name: "BuiltinTableFunction", sql: "select * from range(10) r join t on true; select * from explode(array(1, 2)) e", inputs: []string{"t"}},
		{name: "HiveTableFunction", dialect: Hive, sql: "select * from my_udtf(a) x", inputs: []string{}},
	})
}

// TestExtract_PathTables checks Spark's file sources, format.`path`: files read or written where they lie, no
// table; a schema that happens to be named as a format is still one.
func TestExtract_PathTables(t *testing.T) {
	runCases(t, []lineageCase{
		{name: "Read", dialect: Spark, sql: "insert into t select * from parquet.`/data/x` p join csv.`s3://b/k.csv` c on p.a = c.a", outputs: []string{"t"}},
		{name: "Written", dialect: Spark, sql: "insert overwrite delta.`/delta/events` select * from s", inputs: []string{"s"}},
		{name: "SchemaNamedAsFormat", dialect: Spark, sql: "select * from parquet.tbl join db.`a/b` on true", inputs: []string{"db.a/b", "parquet.tbl"}},
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
