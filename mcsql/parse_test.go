package mcsql

import (
	"errors"
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func sp(s string) *string { return &s }
func ip(n int) *int       { return &n }
func n1(name string) Name { return Name{Name: name} }
func n2(project, name string) Name {
	return Name{Project: project, Name: name}
}

// withoutNode returns st with its Node cleared, so that cases compare what a statement says; positions and
// texts have tests of their own.
func withoutNode(st Statement) Statement {
	v := reflect.ValueOf(st)
	if v.Kind() != reflect.Pointer {
		return st
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	c.Elem().FieldByName("Node").Set(reflect.Zero(reflect.TypeFor[Node]()))
	return c.Interface().(Statement)
}

type stmtCase struct {
	name string
	src  string
	want Statement
}

func runStmtCases(t *testing.T, cases []stmtCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse(c.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.src, err)
			}
			if len(got) != 1 {
				t.Fatalf("Parse(%q): %d statements, want 1", c.src, len(got))
			}
			if g := withoutNode(got[0]); !reflect.DeepEqual(g, c.want) {
				t.Errorf("Parse(%q)\n got %#v\nwant %#v", c.src, g, c.want)
			}
		})
	}
}

func TestCreateTable(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"plain", "create table t (a bigint)",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "bigint"}}}},
		{"keywords in any case", "CrEaTe TaBlE T (A BIGINT)",
			&CreateTable{Name: n1("T"), Columns: []ColumnDef{{Name: "A", Type: "bigint"}}}},
		{"external", "create external table t (a string) stored by 'com.aliyun.odps.CsvStorageHandler' location 'oss://b/p/'",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "string"}}}},
		{"if not exists", "create table if not exists t (a int)",
			&CreateTable{IfNotExists: true, Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"a table named if", "create table if (a int)",
			&CreateTable{Name: n1("if"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"project.table", "create table proj.t (a int)",
			&CreateTable{Name: n2("proj", "t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"project.schema.table", "create table proj.sch.t (a int)",
			&CreateTable{Name: Name{Project: "proj", Schema: "sch", Name: "t"}, Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"backquotes", "create table `my proj` . `a``b` (`select` int, `列` string)",
			&CreateTable{Name: n2("my proj", "a`b"), Columns: []ColumnDef{{Name: "select", Type: "int"}, {Name: "列", Type: "string"}}}},
		{"column modifiers", "create table t (a bigint not null default -1 comment 'id', b string default 'x' not null, c boolean null default true, " +
			"d date default date '2024-01-01', e datetime default getdate(), f double default 1.5e-3, g decimal(10,2) default (1), h int primary key)",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{
				{Name: "a", Type: "bigint", Comment: "id"}, {Name: "b", Type: "string"}, {Name: "c", Type: "boolean"},
				{Name: "d", Type: "date"}, {Name: "e", Type: "datetime"}, {Name: "f", Type: "double"},
				{Name: "g", Type: "decimal(10,2)"}, {Name: "h", Type: "int"}}}},
		{"primary key", "create table t (a bigint not null, b string, primary key (a, b)) tblproperties ('transactional'='true')",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "bigint"}, {Name: "b", Type: "string"}}}},
		{"column named comment", "create table t (comment string comment 'comment')",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "comment", Type: "string", Comment: "comment"}}}},
		{"comment", "create table t (a int) comment 'the table'",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}, Comment: sp("the table")}},
		{"partitioned by", "create table t (a int) partitioned by (ds string comment 'day', hh string)",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}},
				Partitions: []ColumnDef{{Name: "ds", Type: "string", Comment: "day"}, {Name: "hh", Type: "string"}}}},
		{"lifecycle", "create table t (a int) lifecycle 30",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}, Lifecycle: ip(30)}},
		{"clustered by", "create table t (a int, b int) clustered by (a) sorted by (a asc, b desc) into 1024 buckets lifecycle 1",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}, {Name: "b", Type: "int"}}, Lifecycle: ip(1)}},
		{"range clustered by", "create table t (a int) range clustered by (a) sorted by (a) into 8 buckets",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"stored as", "create table t (a int) stored as aliorc",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"stored as inputformat", "create external table t (a int) stored as inputformat 'x.In' outputformat 'x.Out' location 'oss://x/'",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"row format serde", "create external table t (a int) row format serde 'x.Serde' with serdeproperties ('odps.properties.rolearn'='acs:ram::1:role/r') stored as textfile location 'oss://x/'",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"row format delimited", `create external table t (a int) row format delimited fields terminated by ',' escaped by '\\' collection items terminated by '|' map keys terminated by ':' lines terminated by '\n' null defined as '\N' stored as textfile`,
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"external with a storage handler in resources", "create external table if not exists t (a string) " +
			"stored by 'com.example.TextStorageHandler' with serdeproperties ('delimiter'='\\|', 'odps.properties.rolearn'='acs:ram::1:role/r') " +
			"location 'oss://oss-cn-hangzhou-internal.aliyuncs.com/b/p/' using 'text-handler.jar', 'deps.jar'",
			&CreateTable{IfNotExists: true, Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "string"}}}},
		{"tblproperties", "create table t (a int) tblproperties ('transactional'='true', 'x'='(')",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}}},
		{"every clause", "create table if not exists p.t (a int comment 'a') comment 'c' partitioned by (ds string) " +
			"clustered by (a) sorted by (a) into 4 buckets stored as aliorc tblproperties ('k'='v') lifecycle 7",
			&CreateTable{IfNotExists: true, Name: n2("p", "t"), Columns: []ColumnDef{{Name: "a", Type: "int", Comment: "a"}},
				Comment: sp("c"), Partitions: []ColumnDef{{Name: "ds", Type: "string"}}, Lifecycle: ip(7)}},
		{"clauses in another order", "create table t (a int) lifecycle 7 partitioned by (ds string) comment 'c'",
			&CreateTable{Name: n1("t"), Columns: []ColumnDef{{Name: "a", Type: "int"}}, Comment: sp("c"),
				Partitions: []ColumnDef{{Name: "ds", Type: "string"}}, Lifecycle: ip(7)}},
		{"like", "create table t2 like proj.t1",
			&CreateTable{Name: n1("t2"), Like: &Name{Project: "proj", Name: "t1"}}},
		{"like with lifecycle", "create table if not exists t2 like t1 lifecycle 3",
			&CreateTable{IfNotExists: true, Name: n1("t2"), Like: &Name{Name: "t1"}, Lifecycle: ip(3)}},
	})
}

func TestColumnTypes(t *testing.T) {
	for _, c := range []struct{ typ, want string }{
		{"tinyint", "tinyint"}, {"SMALLINT", "smallint"}, {"Int", "int"}, {"bigint", "bigint"},
		{"float", "float"}, {"double", "double"}, {"decimal", "decimal"}, {"DECIMAL(10, 2)", "decimal(10,2)"},
		{"decimal ( 38 )", "decimal(38)"}, {"decimal(010,02)", "decimal(10,2)"}, {"varchar(255)", "varchar(255)"},
		{"CHAR( 10 )", "char(10)"}, {"string", "string"}, {"date", "date"}, {"datetime", "datetime"},
		{"timestamp", "timestamp"}, {"timestamp_ntz", "timestamp_ntz"}, {"boolean", "boolean"}, {"binary", "binary"},
		{"json", "json"}, {"interval_day_time", "interval_day_time"}, {"interval_year_month", "interval_year_month"},
		{"interval day to second", "interval_day_time"}, {"INTERVAL YEAR TO MONTH", "interval_year_month"},
		{"array<bigint>", "array<bigint>"}, {"ARRAY < STRING >", "array<string>"},
		{"map<string, array<bigint>>", "map<string,array<bigint>>"},
		{"map<string,map<string,decimal(5,1)>>", "map<string,map<string,decimal(5,1)>>"},
		{"struct<a:int, b:string>", "struct<a:int,b:string>"},
		{"STRUCT< Name : STRING COMMENT 'n', `Age`:INT, `a b`: array<struct<x:double>> >", "struct<name:string,age:int,`a b`:array<struct<x:double>>>"},
		{"array<map<string,struct<`x``y`:int>>>", "array<map<string,struct<`x``y`:int>>>"},
	} {
		src := "create table t (c " + c.typ + ")"
		st, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if got := st[0].(*CreateTable).Columns[0].Type; got != c.want {
			t.Errorf("type %q: got %q, want %q", c.typ, got, c.want)
		}
	}
}

func TestCreateView(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"plain", "create view v as select * from t",
			&CreateView{Name: n1("v"), Query: "select * from t"}},
		{"or replace", "CREATE OR REPLACE VIEW p.v AS SELECT 1",
			&CreateView{OrReplace: true, Name: n2("p", "v"), Query: "SELECT 1"}},
		{"if not exists", "create view if not exists v as select 1",
			&CreateView{IfNotExists: true, Name: n1("v"), Query: "select 1"}},
		{"columns and comment", "create view v (a comment '甲', b) comment 'view' as\n  select x, y\n  from t -- last\n",
			&CreateView{Name: n1("v"), Columns: []ColumnDef{{Name: "a", Comment: "甲"}, {Name: "b"}}, Comment: sp("view"),
				Query: "select x, y\n  from t"}},
		{"with", "create view v as with a as (select 1 x) select x from a",
			&CreateView{Name: n1("v"), Query: "with a as (select 1 x) select x from a"}},
		{"values", "create view v as values (1, 'a'), (2, 'b') t(x, y)",
			&CreateView{Name: n1("v"), Query: "values (1, 'a'), (2, 'b') t(x, y)"}},
		{"from first", "create view v as from t select a",
			&CreateView{Name: n1("v"), Query: "from t select a"}},
		{"parenthesised", "create view v as (select 1) union all (select 2)",
			&CreateView{Name: n1("v"), Query: "(select 1) union all (select 2)"}},
		{"semicolon in a string", "create view v as select ';' as s, \"\\\";\" from t where a = 'it''s;'",
			&CreateView{Name: n1("v"), Query: "select ';' as s, \"\\\";\" from t where a = 'it''s;'"}},
	})
}

func TestDrop(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"table", "drop table t", &DropTable{Name: n1("t")}},
		{"table if exists", "DROP TABLE IF EXISTS proj.t", &DropTable{IfExists: true, Name: n2("proj", "t")}},
		{"view", "drop view v", &DropTable{View: true, Name: n1("v")}},
		{"view if exists", "drop view if exists p.s.v", &DropTable{View: true, IfExists: true, Name: Name{Project: "p", Schema: "s", Name: "v"}}},
		{"function", "drop function f", &DropFunction{Name: n1("f")}},
		{"function if exists", "drop function if exists p.f", &DropFunction{IfExists: true, Name: n2("p", "f")}},
	})
}

func TestAlterTable(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"add columns", "alter table t add columns (a bigint comment 'x', b map<string,string>)",
			&AlterTable{Name: n1("t"), AddColumns: []ColumnDef{{Name: "a", Type: "bigint", Comment: "x"}, {Name: "b", Type: "map<string,string>"}}}},
		{"add columns if not exists", "ALTER TABLE p.t ADD COLUMNS IF NOT EXISTS (a DECIMAL(10,2) default 0)",
			&AlterTable{Name: n2("p", "t"), IfNotExists: true, AddColumns: []ColumnDef{{Name: "a", Type: "decimal(10,2)"}}}},
		{"add column", "alter table t add column a string comment 'x'",
			&AlterTable{Name: n1("t"), AddColumns: []ColumnDef{{Name: "a", Type: "string", Comment: "x"}}}},
		{"drop columns", "alter table t drop columns a, `b`",
			&AlterTable{Name: n1("t"), DropColumns: []string{"a", "b"}}},
		{"drop column", "alter table t drop column a",
			&AlterTable{Name: n1("t"), DropColumns: []string{"a"}}},
		{"set comment", "alter table t set comment '新的说明'",
			&AlterTable{Name: n1("t"), Comment: sp("新的说明")}},
		{"set lifecycle", "alter table t set lifecycle 90",
			&AlterTable{Name: n1("t"), Lifecycle: ip(90)}},
		{"rename", "alter table t rename to t2",
			&AlterTable{Name: n1("t"), RenameTo: &Name{Name: "t2"}}},
		{"change column comment", "alter table t change column a comment 'x'",
			&AlterTable{Name: n1("t"), ColumnComment: &ColumnDef{Name: "a", Comment: "x"}}},
		{"change comment without COLUMN", "alter table t change a comment 'x'",
			&AlterTable{Name: n1("t"), ColumnComment: &ColumnDef{Name: "a", Comment: "x"}}},
		{"change column rename", "alter table t change column a rename to b",
			&AlterTable{Name: n1("t"), RenameColumn: &[2]string{"a", "b"}}},
		{"change rename without COLUMN", "alter table t change `a` rename to `b`",
			&AlterTable{Name: n1("t"), RenameColumn: &[2]string{"a", "b"}}},
		{"view rename", "alter view v rename to v2",
			&AlterTable{View: true, Name: n1("v"), RenameTo: &Name{Name: "v2"}}},
		{"view comment", "alter view v set comment 'c'",
			&AlterTable{View: true, Name: n1("v"), Comment: sp("c")}},
		{"view column comment", "alter view v change column a comment 'c'",
			&AlterTable{View: true, Name: n1("v"), ColumnComment: &ColumnDef{Name: "a", Comment: "c"}}},
	})
}

func TestFunctions(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"one resource", "create function my_lower as 'com.example.Lower' using 'udf.jar'",
			&CreateFunction{Name: n1("my_lower"), Class: "com.example.Lower", Resources: []string{"udf.jar"}}},
		{"list in one string", "CREATE FUNCTION p.f AS 'x.Y' USING ' a.jar, b.py ,, c.txt,'",
			&CreateFunction{Name: n2("p", "f"), Class: "x.Y", Resources: []string{"a.jar", "b.py", "c.txt"}}},
		{"several strings", `create function f as "udf.Main" using 'a.jar', "b.jar,c.jar"`,
			&CreateFunction{Name: n1("f"), Class: "udf.Main", Resources: []string{"a.jar", "b.jar", "c.jar"}}},
		{"drop", "drop function if exists f", &DropFunction{IfExists: true, Name: n1("f")}},
	})
}

func TestSet(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"label", "set label 2 to table t", &SetLabel{Label: 2, Table: n1("t")}},
		{"label on columns", "SET LABEL 3 TO TABLE proj.t(a, `b`)", &SetLabel{Label: 3, Table: n2("proj", "t"), Columns: []string{"a", "b"}}},
		{"label out of the core's range", "set label 12 to table t", &SetLabel{Label: 12, Table: n1("t")}},
		{"flag", "set odps.sql.type.system.odps2=true", &SetFlag{Key: "odps.sql.type.system.odps2", Value: "true"}},
		{"flag with spaces", "set odps.sql.timezone = Asia/Shanghai ", &SetFlag{Key: "odps.sql.timezone", Value: "Asia/Shanghai"}},
		{"flag value with spaces", "set odps.stage.mapper.split.size=256 mb", &SetFlag{Key: "odps.stage.mapper.split.size", Value: "256 mb"}},
		{"flag named like a keyword", "SET LabelSecurity=true", &SetFlag{Key: "LabelSecurity", Value: "true"}},
		{"flag named label", "set label=1", &SetFlag{Key: "label", Value: "1"}},
		{"flag under label", "set label.x=1", &SetFlag{Key: "label.x", Value: "1"}},
		{"empty value", "set a.b=", &SetFlag{Key: "a.b", Value: ""}},
		{"quoted value", "set x='a;b'", &SetFlag{Key: "x", Value: "'a;b'"}},
	})
}

func TestShowAndDescribe(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"tables", "show tables", &Show{What: "tables"}},
		{"views in", "SHOW VIEWS IN proj", &Show{What: "views", Project: "proj"}},
		{"functions from", "show functions from proj", &Show{What: "functions", Project: "proj"}},
		{"resources like", "show resources like '*.jar'", &Show{What: "resources", Like: "*.jar"}},
		{"packages", "show packages", &Show{What: "packages"}},
		{"in and like", "show tables in proj like 'ods_%'", &Show{What: "tables", Project: "proj", Like: "ods_%"}},
		{"list resources", "list resources", &Show{What: "resources"}},
		{"list functions", "LIST FUNCTIONS", &Show{What: "functions"}},
		{"desc", "desc t", &Describe{What: "table", Name: n1("t")}},
		{"describe", "DESCRIBE proj.t", &Describe{What: "table", Name: n2("proj", "t")}},
		{"desc extended", "desc extended t", &Describe{What: "table", Extended: true, Name: n1("t")}},
		{"desc table", "desc table p.s.t", &Describe{What: "table", Name: Name{Project: "p", Schema: "s", Name: "t"}}},
		{"desc extended table", "describe extended table t", &Describe{What: "table", Extended: true, Name: n1("t")}},
		{"desc a table named extended", "desc extended", &Describe{What: "table", Name: n1("extended")}},
		{"desc a table named function", "desc function", &Describe{What: "table", Name: n1("function")}},
		{"desc project.table named like a keyword", "desc package.t", &Describe{What: "table", Name: n2("package", "t")}},
		{"desc function", "desc function my_udf", &Describe{What: "function", Name: n1("my_udf")}},
		{"desc resource", "desc resource udtf.jar", &Describe{What: "resource", Name: n1("udtf.jar")}},
		{"desc resource dashes", "DESC RESOURCE my-lib_v1.2.tar.gz", &Describe{What: "resource", Name: n1("my-lib_v1.2.tar.gz")}},
		{"desc resource quoted", "desc resource `odd name.py`", &Describe{What: "resource", Name: n1("odd name.py")}},
		{"desc resource of a project", "desc resource prj_a:udtf.jar", &Describe{What: "resource", Name: Name{Project: "prj_a", Name: "udtf.jar"}}},
		{"desc package", "desc package pkg", &Describe{What: "package", Name: n1("pkg")}},
		{"describe package of a project", "DESCRIBE PACKAGE src_prj.pkg", &Describe{What: "package", Name: n2("src_prj", "pkg")}},
	})
}

func TestPackageStatements(t *testing.T) {
	runStmtCases(t, []stmtCase{
		{"create", "create package pkg", &CreatePackage{Name: "pkg"}},
		{"drop", "drop package pkg", &DropPackage{Name: "pkg"}},
		{"delete", "DELETE PACKAGE pkg", &DropPackage{Name: "pkg"}},
		{"add table", "add table sale_detail to package pkg",
			&AddToPackage{ObjectType: "table", Object: n1("sale_detail"), Package: "pkg"}},
		{"add table with privileges", "ADD TABLE t TO PACKAGE pkg WITH PRIVILEGES Describe, select",
			&AddToPackage{ObjectType: "table", Object: n1("t"), Package: "pkg", Privileges: []string{"Describe", "select"}}},
		{"add every table", "add Table * to package pkg with privileges read",
			&AddToPackage{ObjectType: "table", Object: n1("*"), Package: "pkg", Privileges: []string{"read"}}},
		{"add resource", "add resource udtf.jar to package pkg",
			&AddToPackage{ObjectType: "resource", Object: n1("udtf.jar"), Package: "pkg"}},
		{"add resource with a dashed name", "add resource my_lib-2.py to package pkg with privileges Read,Write",
			&AddToPackage{ObjectType: "resource", Object: n1("my_lib-2.py"), Package: "pkg", Privileges: []string{"Read", "Write"}}},
		{"add every resource", "add resource * to package pkg",
			&AddToPackage{ObjectType: "resource", Object: n1("*"), Package: "pkg"}},
		{"add a resource named like a pattern", "add resource *.jar to package pkg",
			&AddToPackage{ObjectType: "resource", Object: n1("*.jar"), Package: "pkg"}},
		{"add function", "add FUNCTION my_udf to package pkg with privileges execute",
			&AddToPackage{ObjectType: "function", Object: n1("my_udf"), Package: "pkg", Privileges: []string{"execute"}}},
		{"add instance", "add instance 20240101083000123gabcdef to package pkg",
			&AddToPackage{ObjectType: "instance", Object: n1("20240101083000123gabcdef"), Package: "pkg"}},
		{"remove table", "remove table t from package pkg",
			&RemoveFromPackage{ObjectType: "table", Object: n1("t"), Package: "pkg"}},
		{"remove resource", "REMOVE RESOURCE udtf.jar FROM PACKAGE pkg",
			&RemoveFromPackage{ObjectType: "resource", Object: n1("udtf.jar"), Package: "pkg"}},
		{"remove every function", "remove function * from package pkg",
			&RemoveFromPackage{ObjectType: "function", Object: n1("*"), Package: "pkg"}},
		{"remove every instance", "REMOVE INSTANCE * FROM PACKAGE pkg",
			&RemoveFromPackage{ObjectType: "instance", Object: n1("*"), Package: "pkg"}},
		{"allow", "allow project test_project_b to install package pkg",
			&AllowProject{Project: "test_project_b", Package: "pkg"}},
		{"allow using label", "ALLOW PROJECT b TO INSTALL PACKAGE pkg USING LABEL 3",
			&AllowProject{Project: "b", Package: "pkg", Label: ip(3)}},
		{"disallow", "disallow project b to install package pkg",
			&DisallowProject{Project: "b", Package: "pkg"}},
		{"install", "install package src_prj.pkg", &InstallPackage{SourceProject: "src_prj", Package: "pkg"}},
		{"install with backquotes", "INSTALL PACKAGE `src-prj`.`pkg`", &InstallPackage{SourceProject: "src-prj", Package: "pkg"}},
		{"uninstall", "uninstall package src_prj.pkg", &UninstallPackage{SourceProject: "src_prj", Package: "pkg"}},
	})
}

func TestStringsAndComments(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`'plain'`, "plain"},
		{`"double"`, "double"},
		{`'it''s'`, "it's"},
		{`"say ""hi"""`, `say "hi"`},
		{`'it\'s'`, "it's"},
		{`"a\"b"`, `a"b`},
		{`'tab\there\nnew\rret\\back'`, "tab\there\nnew\rret\\back"},
		{`'\001'`, "\x01"},
		{`'a\0b'`, "a\x00b"},
		{`'\u4e2d文'`, "中文"},
		{`'\q\u12'`, "qu12"},
		{`'双引号"内'`, `双引号"内`},
		{`"单引号'内"`, `单引号'内`},
		{`''`, ""},
		{`'--not a comment; /* nor this */'`, "--not a comment; /* nor this */"},
	} {
		src := "create table t (a int) comment " + c.src
		st, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if got := *st[0].(*CreateTable).Comment; got != c.want {
			t.Errorf("string %s: got %q, want %q", c.src, got, c.want)
		}
	}

	script := "-- header; comment\n/* block; \n comment */ create /* inline */ table t (a int) -- trailing;\n;\n;;  -- nothing\n/**/drop table t"
	st, err := Parse(script)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 {
		t.Fatalf("got %d statements, want 2", len(st))
	}
	if got, want := st[0].Source(), "create /* inline */ table t (a int)"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	if got, want := st[1].Source(), "drop table t"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}

func TestPositionsAndText(t *testing.T) {
	script := "set odps.sql.allow.fullscan=true;\n" +
		"\n" +
		"  -- 中文注释\n" +
		"  create table 表 (a int) ;drop table t;\r\n" +
		"\t/* x */ show tables\n"
	st, err := Parse(script)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, col int
		text      string
	}{
		{1, 1, "set odps.sql.allow.fullscan=true"},
		{4, 3, "create table 表 (a int)"},
		{4, 27, "drop table t"},
		{5, 10, "show tables"},
	}
	if len(st) != len(want) {
		t.Fatalf("got %d statements, want %d", len(st), len(want))
	}
	for i, w := range want {
		p := st[i].Start()
		if p.Line != w.line || p.Column != w.col || st[i].Source() != w.text {
			t.Errorf("statement %d: at %d:%d %q, want %d:%d %q", i, p.Line, p.Column, st[i].Source(), w.line, w.col, w.text)
		}
		if !strings.HasPrefix(script[p.Offset:], w.text) {
			t.Errorf("statement %d: offset %d does not start its text", i, p.Offset)
		}
	}
}

type errCase struct {
	src     string
	line    int
	col     int
	refused bool
	msg     string // a part of the message
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		_, err := Parse(c.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q): error %v, want an *Error", c.src, err)
			continue
		}
		if e.Pos.Line != c.line || e.Pos.Column != c.col || e.Refused != c.refused || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("Parse(%q):\n got %d:%d refused=%v %q\nwant %d:%d refused=%v containing %q",
				c.src, e.Pos.Line, e.Pos.Column, e.Refused, e.Msg, c.line, c.col, c.refused, c.msg)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"craete table t (a int)", 1, 1, false, "syntax error: unexpected craete, expected a statement"},
		{"create tabel t (a int)", 1, 8, false, "unexpected tabel, expected TABLE, EXTERNAL TABLE, VIEW, FUNCTION or PACKAGE"},
		{"create table t", 1, 15, false, `unexpected end of statement, expected "(", LIKE or AS`},
		{"create table t;", 1, 15, false, `unexpected end of statement, expected "(", LIKE or AS`},
		{"create table t (a int", 1, 22, false, `unexpected end of statement, expected ")"`},
		{"create table t (a int b int)", 1, 23, false, `unexpected b, expected ")"`},
		{"create table t ()", 1, 17, false, "unexpected \")\", expected a column name"},
		{"create table t (primary key (a))", 1, 32, false, "a table needs at least one column"},
		{"create table t (a foo)", 1, 19, false, "syntax error: unknown type foo"},
		{"create table t (a integer)", 1, 19, false, "unknown type integer"},
		{"create table t (a array<int)", 1, 28, false, `unexpected ")", expected ">"`},
		{"create table t (a map<int>)", 1, 26, false, `unexpected ">", expected ","`},
		{"create table t (a struct<>)", 1, 26, false, "unexpected \">\", expected a field name"},
		{"create table t (a varchar)", 1, 26, false, `unexpected ")", expected "("`},
		{"create table t (a decimal(39,2))", 1, 27, false, "decimal precision 39 out of range 1 to 38"},
		{"create table t (a decimal(10,11))", 1, 30, false, "decimal scale 11 out of range 0 to 10"},
		{"create table t (a char(256))", 1, 24, false, "char length 256 out of range 1 to 255"},
		{"create table t (a varchar(0))", 1, 27, false, "varchar length 0 out of range 1 to 65535"},
		{"create table t (a interval day)", 1, 31, false, "unexpected \")\", expected TO"},
		{"create table t (a int) lifecycle x", 1, 34, false, "unexpected x, expected a number of days"},
		{"create table t (a int) lifecycle 99999999999999999999999", 1, 34, false, "number 99999999999999999999999 out of range"},
		{"create table t (a int) lifecycle 1.5", 1, 34, false, "unexpected number 1.5, expected a number of days"},
		{"create table t (a int) comment 'a' comment 'b'", 1, 36, false, "duplicate COMMENT"},
		{"create table t (a int comment 'a' comment 'b')", 1, 35, false, "duplicate COMMENT"},
		{"create table t (a int) lifecycle 1 lifecycle 2", 1, 36, false, "duplicate LIFECYCLE"},
		{"create table t (a int) partitioned by (ds)", 1, 42, false, `unexpected ")", expected a column type`},
		{"create table t (a int) tblproperties ('a'='b'", 1, 46, false, `unexpected end of statement, expected ")"`},
		{"create table t (a int) foo", 1, 24, false, "unexpected foo, expected COMMENT, PARTITIONED BY"},
		{"create table t lifecycle 1", 1, 27, false, "unexpected end of statement, expected AS"},
		{"create table t like s comment 'x'", 1, 23, false, "unexpected comment, expected end of statement"},
		{"create table `` (a int)", 1, 14, false, "empty identifier"},
		{"create table a.b.c.d (a int)", 1, 19, false, `unexpected ".", expected "(", LIKE or AS`},
		{"create or replace table t (a int)", 1, 19, false, "unexpected table, expected VIEW"},
		{"create view v", 1, 14, false, "unexpected end of statement, expected AS"},
		{"create view v as", 1, 17, false, "expected a query (SELECT, WITH, VALUES or FROM)"},
		{"create view v as insert into t select 1", 1, 18, false, "unexpected insert, expected a query"},
		{"create view v (a int) as select 1", 1, 18, false, `unexpected int, expected ")"`},
		{"create function f as 'x'", 1, 25, false, "unexpected end of statement, expected USING"},
		{"create function f as x using 'a.jar'", 1, 22, false, "unexpected x, expected a class name string"},
		{"create function f as 'x' using a.jar", 1, 32, false, "expected a resource list string"},
		{"drop table", 1, 11, false, "unexpected end of statement, expected a table name"},
		{"drop table t cascade", 1, 14, false, "unexpected cascade, expected end of statement"},
		{"drop tables t", 1, 6, false, "expected TABLE, VIEW, FUNCTION or PACKAGE"},
		{"alter table t", 1, 14, false, "unexpected end of statement, expected ADD COLUMNS"},
		{"alter table t add columns a int", 1, 27, false, `unexpected a, expected "("`},
		{"alter table t add foo", 1, 19, false, "unexpected foo, expected COLUMNS or PARTITION"},
		{"alter table t change column a", 1, 30, false, "unexpected end of statement, expected COMMENT or RENAME TO"},
		{"alter table t rename t2", 1, 22, false, "unexpected t2, expected TO"},
		{"alter table t set 'x'", 1, 19, false, "unexpected string 'x', expected COMMENT or LIFECYCLE"},
		{"alter tables t", 1, 7, false, "unexpected tables, expected TABLE or VIEW"},
		{"set", 1, 4, false, "unexpected end of statement, expected LABEL or a flag name"},
		{"set odps.sql", 1, 13, false, `unexpected end of statement, expected "="`},
		{"set a.=1", 1, 7, false, "expected the rest of the flag name"},
		{"set label x to table t", 1, 11, false, "unexpected x, expected a label number"},
		{"set label -1 to table t", 1, 11, false, `unexpected "-", expected a label number`},
		{"set label 1 to t", 1, 16, false, "unexpected t, expected TABLE"},
		{"set label 1 to table t(a", 1, 25, false, `unexpected end of statement, expected ")"`},
		{"show", 1, 5, false, "expected TABLES, VIEWS, FUNCTIONS, RESOURCES or PACKAGES"},
		{"show tablez", 1, 6, false, "unexpected tablez"},
		{"show tables like x", 1, 18, false, "unexpected x, expected a pattern string"},
		{"show tables in a.b", 1, 17, false, `unexpected ".", expected an unqualified project name`},
		{"desc", 1, 5, false, "unexpected end of statement, expected a table name"},
		{"desc package a.b.c", 1, 17, false, `unexpected ".", expected an unqualified package name`},
		{"desc resource (x)", 1, 15, false, "unexpected \"(\", expected a resource name"},
		{"desc t extended", 1, 8, false, "unexpected extended, expected end of statement"},
		{"create package a.b", 1, 17, false, `unexpected ".", expected an unqualified package name`},
		{"add table *", 1, 12, false, "unexpected end of statement, expected TO"},
		{"add table *;", 1, 12, false, "unexpected end of statement, expected TO"},
		{"add table *x to package p", 1, 11, false, `unexpected "*", expected a table name`},
		{"add table t to pkg", 1, 16, false, "unexpected pkg, expected PACKAGE"},
		{"add table t to package pkg with privileges", 1, 43, false, "unexpected end of statement, expected a privilege"},
		{"add table t to package pkg with read", 1, 33, false, "unexpected read, expected PRIVILEGES"},
		{"add resource my lib.jar to package pkg", 1, 17, false, "unexpected lib, expected TO"},
		{"add project p to package pkg", 1, 5, false, "a package holds TABLE (tables and views), RESOURCE, FUNCTION and INSTANCE objects"},
		{"add view v to package pkg", 1, 5, false, "a package holds TABLE"},
		{"add schema s to package pkg", 1, 5, false, "unexpected schema, expected TABLE, RESOURCE, FUNCTION or INSTANCE"},
		{"remove table t to package pkg", 1, 16, false, "unexpected to, expected FROM"},
		{"allow project b to install pkg", 1, 28, false, "unexpected pkg, expected PACKAGE"},
		{"allow project b to install package pkg using label", 1, 51, false, "unexpected end of statement, expected a label number"},
		{"allow project b to install package pkg using 3", 1, 46, false, "unexpected number 3, expected LABEL"},
		{"disallow project b to install package pkg using label 1", 1, 43, false, "unexpected using, expected end of statement"},
		{"install package pkg", 1, 20, false, `unexpected end of statement, expected "." and the package name (source_project.package)`},
		{"uninstall package a.b.c", 1, 22, false, `unexpected ".", expected an unqualified package name`},
		{"delete package", 1, 15, false, "unexpected end of statement, expected a package name"},
		{"= 1", 1, 1, false, `unexpected "=", expected a statement`},
		{"'lonely string'", 1, 1, false, "unexpected string 'lonely string', expected a statement"},
		{"create table t (a int) comment '" + strings.Repeat("x", 50) + "' x", 1, 85, false, "unexpected x"},
		{"create table t (a int) x '" + strings.Repeat("y", 50) + "'", 1, 24, false, "unexpected x"},
		{"create table t (a int) comment x" + strings.Repeat("y", 50), 1, 32, false, "unexpected x" + strings.Repeat("y", 36) + "..., expected a comment string"},
		{"create table t (a int) " + strings.Repeat("表", 20), 1, 24, false, "unexpected " + strings.Repeat("表", 12) + "..., expected COMMENT"},
		// Lexical errors are reported where the unterminated construct starts.
		{"create table t (a int) comment 'oops", 1, 32, false, "unterminated string literal"},
		{"create table t (a int) comment \"oops\\\"", 1, 32, false, "unterminated string literal"},
		{"create table `t (a int)", 1, 14, false, "unterminated backquoted identifier"},
		{"drop table t /* never closed", 1, 14, false, "unterminated comment"},
		{"create view v as select 'x", 1, 25, false, "unterminated string literal"},
		{"set a='x", 1, 7, false, "unterminated string literal"},
		// Errors on later lines, after good statements.
		{"create table a (x int);\ncreate table b (y int);\n\n  drop table c d;", 4, 16, false, "unexpected d, expected end of statement"},
		{"drop table a;\n-- 中文注释\n  create table 表 (列 未知类型);", 3, 21, false, "unknown type 未知类型"},
		{"drop table a;\r\ndrop table b\r\n  x", 3, 3, false, "unexpected x, expected end of statement"},
		{"drop table a; drop table b; show tables 'x'", 1, 41, false, "unexpected string 'x', expected end of statement"},
		{"create table t (\n  a int,\n  b string comment 'ok',\n  c strin\n)", 4, 5, false, "unknown type strin"},
		{"drop table a;\n'unterminated", 2, 1, false, "unterminated string literal"},
	})
}

func TestRefusedStatements(t *testing.T) {
	data := "reads or writes data: Sluice keeps metadata and does not run queries"
	notSupported := "is not supported"
	runErrCases(t, []errCase{
		{"select * from t", 1, 1, true, "SELECT " + data},
		{"  Select 1", 1, 3, true, "SELECT " + data},
		{"with a as (select 1) select * from a", 1, 1, true, "WITH " + data},
		{"insert into t select 1", 1, 1, true, "INSERT " + data},
		{"insert overwrite table t partition (ds='1') select * from s", 1, 1, true, "INSERT " + data},
		{"update t set a = 1", 1, 1, true, "UPDATE " + data},
		{"delete from t where a = 1", 1, 1, true, "DELETE " + data},
		{"merge into t using s on t.id = s.id when matched then delete", 1, 1, true, "MERGE " + data},
		{"truncate table t", 1, 1, true, "TRUNCATE " + data},
		{"load overwrite table t from location 'oss://x/'", 1, 1, true, "LOAD " + data},
		{"unload from t into location 'oss://x/'", 1, 1, true, "UNLOAD " + data},
		{"copy into t from 'oss://x'", 1, 1, true, "COPY " + data},
		{"read t 10", 1, 1, true, "READ " + data},
		{"tunnel upload a.txt t", 1, 1, true, "TUNNEL " + data},
		{"from t insert overwrite table a select x", 1, 1, true, "FROM " + data},
		{"values (1)", 1, 1, true, "VALUES " + data},
		{"clone table a to b", 1, 1, true, "CLONE " + data},
		{"analyze table t compute statistics", 1, 1, true, "ANALYZE " + data},
		{"@a := select 1", 1, 1, true, data},
		{"(select 1) union (select 2)", 1, 1, true, data},
		{"select 'a;b'; drop table t", 1, 1, true, "SELECT " + data},
		{"create table t (a int) as select 1", 1, 24, true, "CREATE TABLE ... AS SELECT writes data: Sluice keeps metadata and does not run queries"},
		{"create table t as select 1", 1, 16, true, "CREATE TABLE ... AS SELECT writes data"},
		{"create table if not exists t lifecycle 7 as select 1", 1, 42, true, "CREATE TABLE ... AS SELECT writes data"},
		{"create table t partitioned by (ds string) as select 1", 1, 43, true, "CREATE TABLE ... AS SELECT writes data"},
		{"create materialized view mv as select 1", 1, 1, true, "CREATE MATERIALIZED VIEW " + data},
		{"alter table t add partition (ds='1')", 1, 15, true, "ALTER TABLE ... ADD PARTITION is not supported: Sluice keeps no partition data"},
		{"alter table t add if not exists partition (ds='1') partition (ds='2')", 1, 15, true, "ADD PARTITION " + notSupported},
		{"alter table t drop if exists partition (ds='1')", 1, 15, true, "DROP PARTITION " + notSupported},
		{"alter table t partition (ds='1') rename to partition (ds='2')", 1, 15, true, "ALTER TABLE ... PARTITION " + notSupported},
		{"alter table t touch", 1, 15, true, "TOUCH " + notSupported + ": Sluice keeps no partition data"},
		{"alter table t merge smallfiles", 1, 15, true, "MERGE " + notSupported},
		{"alter table t compact major", 1, 15, true, "COMPACT " + notSupported},
		{"alter table t archive", 1, 15, true, "ARCHIVE " + notSupported},
		{"alter table t set tblproperties ('a'='b')", 1, 15, true, "ALTER TABLE ... SET TBLPROPERTIES " + notSupported},
		{"alter table t enable lifecycle", 1, 15, true, "ALTER TABLE ... ENABLE " + notSupported},
		{"alter table t change column a b bigint", 1, 15, true, "CHANGE COLUMN old new type " + notSupported},
		{"alter table t change owner to 'ALIYUN$x'", 1, 1, true, "CHANGE OWNER " + notSupported},
		{"alter view v as select 1", 1, 14, true, "ALTER VIEW ... AS " + notSupported},
		{"alter schema s set comment 'x'", 1, 1, true, "ALTER SCHEMA " + notSupported},
		{"desc t partition (ds='1')", 1, 8, true, "DESCRIBE ... PARTITION " + notSupported + ": Sluice keeps no partition data"},
		{"desc extended p.t partition(ds='1')", 1, 19, true, "PARTITION " + notSupported},
		{"desc project p", 1, 1, true, "DESCRIBE PROJECT " + notSupported},
		{"desc instance 2024x", 1, 1, true, "DESCRIBE INSTANCE " + notSupported},
		{"show partitions t", 1, 1, true, "SHOW PARTITIONS " + notSupported + ": Sluice keeps no partition data"},
		{"show create table t", 1, 1, true, "SHOW CREATE " + notSupported},
		{"show grants", 1, 1, true, "SHOW GRANTS " + notSupported},
		{"show instances", 1, 1, true, "SHOW INSTANCES " + notSupported},
		{"list users", 1, 1, true, "LIST USERS " + notSupported},
		{"grant select on table t to user x", 1, 1, true, "GRANT " + notSupported},
		{"revoke select on table t from user x", 1, 1, true, "REVOKE " + notSupported},
		{"use proj", 1, 1, true, "USE " + notSupported},
		{"whoami", 1, 1, true, "WHOAMI " + notSupported},
		{"explain select 1", 1, 1, true, "EXPLAIN " + notSupported + ": Sluice keeps metadata and does not run queries"},
		{"msck repair table t add partitions", 1, 1, true, "MSCK " + notSupported},
		{"kill 2024", 1, 1, true, "KILL " + notSupported},
		{"add jar udf.jar", 1, 1, true, "ADD JAR " + notSupported + ": resources are uploaded to Sluice's resource centre"},
		{"add file data.txt -f", 1, 1, true, "ADD FILE " + notSupported},
		{"ADD PY my.py", 1, 1, true, "ADD PY " + notSupported},
		{"add archive a.zip", 1, 1, true, "ADD ARCHIVE " + notSupported},
		{"add user aliyun$x", 1, 1, true, "ADD USER " + notSupported},
		{"remove user aliyun$x", 1, 1, true, "REMOVE USER " + notSupported},
		{"create role r", 1, 1, true, "CREATE ROLE " + notSupported},
		{"create schema s", 1, 1, true, "CREATE SCHEMA " + notSupported},
		{"create temporary function f as 'x' using 'a.jar'", 1, 1, true, "CREATE TEMPORARY " + notSupported},
		{"create sql function f(@a bigint) as @a + 1", 1, 1, true, "CREATE SQL " + notSupported},
		{"create function f(@a bigint) as @a + 1", 1, 1, true, "(an SQL function) " + notSupported},
		{"drop role r", 1, 1, true, "DROP ROLE " + notSupported},
		{"drop resource a.jar", 1, 1, true, "DROP RESOURCE " + notSupported},
		{"drop materialized view mv", 1, 1, true, "DROP MATERIALIZED " + notSupported},
		{"set label 1 to user x", 1, 1, true, "SET LABEL ... TO USER " + notSupported},
		// A refusal after good statements is at the refused statement.
		{"create table a (x int);\n\n  insert into a values (1);", 3, 3, true, "INSERT " + data},
		{"drop table a;\n  create table b as\n  select 1;", 2, 18, true, "CREATE TABLE ... AS SELECT"},
	})
}

// TestPartialResult checks that the statements before an error are returned with it.
func TestPartialResult(t *testing.T) {
	st, err := Parse("drop table a; drop table b; select 1; drop table c")
	if err == nil || len(st) != 2 {
		t.Fatalf("got %d statements and %v, want 2 and an error", len(st), err)
	}
	if _, err := Parse("create table t (a int)"); err != nil {
		t.Fatal(err)
	}
	// A nil error is a nil interface, not a nil *Error.
	if _, err := Parse(""); err != nil {
		t.Fatal(err)
	}
}

// TestUnicodeWhiteSpace checks that white space beyond ASCII separates words as a space does, in scripts
// pasted from web pages and chat, while strings keep it and names keep the other characters that share
// its first byte.
func TestUnicodeWhiteSpace(t *testing.T) {
	script := "create\u00a0table\u3000表\u2003(a\u00a0int,\u3000b string comment '\u00a0x\u3000')\u202f;\u00a0\n" +
		"\ufeffdrop table a’b—c\u3000;\u00a0drop table t\u00a0"
	st, err := Parse(script)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 3 {
		t.Fatalf("got %d statements, want 3", len(st))
	}
	want := &CreateTable{Name: n1("表"), Columns: []ColumnDef{{Name: "a", Type: "int"}, {Name: "b", Type: "string", Comment: "\u00a0x\u3000"}}}
	if ct, ok := st[0].(*CreateTable); !ok || !reflect.DeepEqual(ct.Name, want.Name) || !reflect.DeepEqual(ct.Columns, want.Columns) {
		t.Errorf("statement 0 = %#v, want %#v", st[0], want)
	}
	if d, ok := st[1].(*DropTable); !ok || d.Name != n1("a’b—c") {
		t.Errorf("statement 1 = %#v, want a drop of a’b—c", st[1])
	}
	for i, text := range []string{"create\u00a0table\u3000表\u2003(a\u00a0int,\u3000b string comment '\u00a0x\u3000')", "drop table a’b—c", "drop table t"} {
		if st[i].Source() != text {
			t.Errorf("statement %d text %q, want %q", i, st[i].Source(), text)
		}
	}
}

func TestEmptyScripts(t *testing.T) {
	for _, s := range []string{"", ";", " ; ;\n;", "-- only a comment", "/* block */", "-- a\n-- b\n;/**/;"} {
		st, err := Parse(s)
		if err != nil || len(st) != 0 {
			t.Errorf("Parse(%q) = %d statements, %v; want none", s, len(st), err)
		}
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse("drop table a;\n drop tables b")
	if got, want := err.Error(), "line 2, column 7: syntax error: unexpected tables, expected TABLE, VIEW, FUNCTION or PACKAGE"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRealWorldScripts parses scripts as they are written in DataWorks and odpscmd.
func TestRealWorldScripts(t *testing.T) {
	script := `-- ODPS SQL
-- 作者: 数据平台组
-- 说明: 订单域 ODS/DWD 建表
set odps.sql.allow.fullscan=true;
set odps.sql.type.system.odps2 = true;

CREATE TABLE IF NOT EXISTS ods_order_di
(
    order_id        STRING COMMENT '订单ID',
    user_id         BIGINT COMMENT '用户ID',
    amount          DECIMAL(18,2) COMMENT '订单金额（元）',
    status          STRING COMMENT '订单状态: PAID/SHIPPED',
    ext             MAP<STRING,STRING> COMMENT '扩展字段',
    gmt_create      DATETIME COMMENT '创建时间'
)
COMMENT '订单增量表'
PARTITIONED BY (ds STRING COMMENT '业务日期, yyyymmdd')
LIFECYCLE 365;

create table if not exists dwd_order_fact (
  order_id string comment "订单ID",
  items array<struct<sku:string, qty:int comment '数量', price:decimal(10,2)>> comment '明细',
  tags array<string>
)
comment "订单事实表 -- 不是注释"
partitioned by (ds string comment '日期', region string comment '大区')
tblproperties('transactional'='true')
lifecycle 30;

CREATE TABLE dim_user (
  user_id BIGINT NOT NULL,
  user_name STRING,
  level TINYINT DEFAULT 0,
  PRIMARY KEY (user_id)
) TBLPROPERTIES ("transactional"="true", "write.bucket.num" = "16") LIFECYCLE 36500;

create table tmp_order_copy like ods_order_di lifecycle 1;

create or replace view v_paid_orders (order_id comment '订单', amount) comment '已支付订单' as
select order_id, amount
from ods_order_di
where status = 'PAID' and ds = max_pt('ods_order_di');

alter table ods_order_di add columns (channel string comment '渠道');
alter table ods_order_di set comment '订单增量表（含渠道）';
alter table dwd_order_fact change column tags comment '标签';
set label 2 to table dim_user(user_name);
create function mask_phone as 'com.example.udf.MaskPhone' using 'udf-mask-1.0.jar';
create package order_pkg;
add table dwd_order_fact to package order_pkg with privileges describe, select;
add resource udf-mask-1.0.jar to package order_pkg;
allow project analytics_prj to install package order_pkg using label 1;
desc package order_pkg
`
	st, err := Parse(script)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range st {
		kinds = append(kinds, reflect.TypeOf(s).Elem().Name())
	}
	want := []string{"SetFlag", "SetFlag", "CreateTable", "CreateTable", "CreateTable", "CreateTable", "CreateView",
		"AlterTable", "AlterTable", "AlterTable", "SetLabel", "CreateFunction", "CreatePackage", "AddToPackage",
		"AddToPackage", "AllowProject", "Describe"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("statements %v\nwant %v", kinds, want)
	}
	ods := st[2].(*CreateTable)
	if ods.Name.Name != "ods_order_di" || len(ods.Columns) != 6 || ods.Columns[2].Type != "decimal(18,2)" ||
		ods.Columns[2].Comment != "订单金额（元）" || ods.Columns[4].Type != "map<string,string>" ||
		*ods.Comment != "订单增量表" || ods.Partitions[0].Comment != "业务日期, yyyymmdd" || *ods.Lifecycle != 365 {
		t.Errorf("ods_order_di: %+v", ods)
	}
	if ods.Start().Line != 7 || ods.Start().Column != 1 {
		t.Errorf("ods_order_di at %+v, want line 7", ods.Start())
	}
	dwd := st[3].(*CreateTable)
	if got := dwd.Columns[1].Type; got != "array<struct<sku:string,qty:int,price:decimal(10,2)>>" {
		t.Errorf("items type %q", got)
	}
	if *dwd.Comment != "订单事实表 -- 不是注释" || len(dwd.Partitions) != 2 || *dwd.Lifecycle != 30 {
		t.Errorf("dwd_order_fact: %+v", dwd)
	}
	view := st[6].(*CreateView)
	if !view.OrReplace || view.Query != "select order_id, amount\nfrom ods_order_di\nwhere status = 'PAID' and ds = max_pt('ods_order_di')" {
		t.Errorf("view: %+v", view)
	}
	if st[16].Source() != "desc package order_pkg" {
		t.Errorf("last statement %q", st[16].Source())
	}
}

// TestEveryStatementType parses one script with every form and checks that each type of ast.go that
// implements Statement comes out of it; a type added to ast.go without a parser fails here.
func TestEveryStatementType(t *testing.T) {
	fset := gotoken.NewFileSet()
	f, err := goparser.ParseFile(fset, "ast.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != gotoken.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			// The statements are the structs that embed Node, whose methods make them Statements.
			if ok && len(st.Fields.List) > 0 && len(st.Fields.List[0].Names) == 0 {
				if id, ok := st.Fields.List[0].Type.(*ast.Ident); ok && id.Name == "Node" {
					types = append(types, ts.Name.Name)
				}
			}
		}
	}
	if len(types) < 17 {
		t.Fatalf("found only %d statement types in ast.go: %v", len(types), types)
	}
	script := `create table t (a int); create view v as select 1; drop table t; alter table t set lifecycle 1;
		create function f as 'c' using 'r.jar'; drop function f; set label 1 to table t; set a.b=c;
		show tables; desc t; create package p; drop package p; add table t to package p;
		remove table t from package p; allow project x to install package p; disallow project x to install package p;
		install package s.p; uninstall package s.p`
	st, err := Parse(script)
	if err != nil {
		t.Fatal(err)
	}
	produced := map[string]bool{}
	for _, s := range st {
		v := reflect.ValueOf(s)
		if v.Kind() != reflect.Pointer {
			t.Errorf("%T is not a pointer", s)
			continue
		}
		produced[v.Elem().Type().Name()] = true
	}
	for _, name := range types {
		if !produced[name] {
			t.Errorf("no statement of type %s produced", name)
		}
	}
}

// TestLongInputs checks inputs that would be slow or deep for a careless parser.
func TestLongInputs(t *testing.T) {
	// Deeply nested types stop with an error, not a stack overflow.
	deep := "create table t (a " + strings.Repeat("array<", 100000) + "int" + strings.Repeat(">", 100000) + ")"
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested more than 100 deep") {
		t.Errorf("deep type: %v", err)
	}
	ok := "create table t (a " + strings.Repeat("array<", 99) + "int" + strings.Repeat(">", 99) + ")"
	if _, err := Parse(ok); err != nil {
		t.Errorf("99 nested arrays: %v", err)
	}
	// Nested parentheses in skipped clauses are counted, not recursed into.
	parens := "create table t (a int) tblproperties " + strings.Repeat("(", 100000) + strings.Repeat(")", 100000)
	if _, err := Parse(parens); err != nil {
		t.Errorf("nested parentheses: %v", err)
	}
	// 10,000 statements on one line: columns are counted once, not once per statement.
	line := strings.Repeat("drop table t;", 10000) + " drop x"
	_, err := Parse(line)
	var e *Error
	if !errors.As(err, &e) || e.Pos.Line != 1 || e.Pos.Column != len(line) {
		t.Errorf("long line: %v", err)
	}
}

// ddlScript returns a DDL script of about n statements, as a migration of a large warehouse would be.
func ddlScript(n int) string {
	var b strings.Builder
	b.WriteString("set odps.sql.type.system.odps2=true;\n")
	for i := 0; i < n; i += 5 {
		id := strings.Repeat("x", i%7) + "_" + string(rune('a'+i%26))
		b.WriteString("-- table " + id + "\nCREATE TABLE IF NOT EXISTS dw.t" + id + " (\n" +
			"  id BIGINT NOT NULL COMMENT '主键',\n  name STRING COMMENT 'name, with ''quotes''',\n" +
			"  amount DECIMAL(18,2),\n  tags ARRAY<STRING>,\n  attrs MAP<STRING, STRUCT<k:STRING, v:DOUBLE>>\n" +
			") COMMENT '明细表' PARTITIONED BY (ds STRING COMMENT '日期') TBLPROPERTIES ('transactional'='true') LIFECYCLE 30;\n" +
			"alter table dw.t" + id + " add columns (extra string comment 'x');\n" +
			"create view dw.v" + id + " as select id, name from dw.t" + id + " where ds = '20240101';\n" +
			"set label 1 to table dw.t" + id + " (name);\n" +
			"add table t" + id + " to package pkg with privileges describe, select;\n")
	}
	return b.String()
}

func TestParse10k(t *testing.T) {
	st, err := Parse(ddlScript(10000))
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 10001 {
		t.Fatalf("%d statements, want 10001", len(st))
	}
}

func BenchmarkParse10k(b *testing.B) {
	script := ddlScript(10000)
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		st, err := Parse(script)
		if err != nil || len(st) != 10001 {
			b.Fatalf("%d statements, %v", len(st), err)
		}
	}
}

// TestKeywordsInterned checks that every keyword the parser compares is in keywordText, so that checking
// it allocates nothing.
func TestKeywordsInterned(t *testing.T) {
	quoted := regexp.MustCompile(`"([A-Z_]{2,})"`)
	for _, file := range []string{"parse.go", "statements.go", "ddl.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(src), -1) {
			if _, ok := keywords[m[1]]; !ok {
				t.Errorf("%s: keyword %s is not in keywordText", file, m[1])
			}
		}
	}
	for k := range primitiveTypes {
		if _, ok := keywords[k]; !ok {
			t.Errorf("type %s is not in keywordText", k)
		}
	}
}
