package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/sluicetest"
)

// at is a time in the local zone, which is how the CLI prints times: the goldens hold whatever zone runs them.
func at(day, hour int) time.Time { return time.Date(2024, 3, day, hour, 4, 5, 0, time.Local) }

// TestSQLFormat prints fabricated results of every kind and compares them with odpscmd-like goldens.
func TestSQLFormat(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    native.SQLResult
		want string
	}{
		{"OK", native.SQLResult{Kind: "ok", Message: "Table t created."}, "OK\n"},
		{"Tables", native.SQLResult{Kind: "tables", Tables: []native.CatalogTable{
			{Schema: "default", Name: "ods_orders", Owner: "alice"},
			{Schema: "ods", Name: "raw", Owner: "bob"},
		}}, "alice:ods_orders\nbob:ods.raw\n"},
		{"NoTables", native.SQLResult{Kind: "tables", Tables: []native.CatalogTable{}}, ""},
		{"Functions", native.SQLResult{Kind: "functions", Functions: []native.Function{
			{Name: "my_lower", Owner: "alice", CreatedAt: at(1, 10), Class: "com.example.Lower", Resources: []string{"udf.jar", "dict.txt"}},
		}}, `+----------+-------+---------------------+-------------------+------------------+
| Name     | Owner | Create Time         | Class             | Resources        |
+----------+-------+---------------------+-------------------+------------------+
| my_lower | alice | 2024-03-01 10:04:05 | com.example.Lower | udf.jar,dict.txt |
+----------+-------+---------------------+-------------------+------------------+
`},
		{"Resources", native.SQLResult{Kind: "resources", Resources: []native.Resource{
			{Name: "udf.jar", Owner: "alice", Kind: "jar", UpdatedAt: at(2, 9)},
			{Name: "维表.csv", Owner: "bob", Kind: "file", UpdatedAt: at(3, 11)},
		}}, `+---------------+-------+---------------------+------+
| Resource Name | Owner | Last Modified Time  | Type |
+---------------+-------+---------------------+------+
| udf.jar       | alice | 2024-03-02 09:04:05 | jar  |
| 维表.csv      | bob   | 2024-03-03 11:04:05 | file |
+---------------+-------+---------------------+------+
`},
		{"Packages", native.SQLResult{Kind: "packages", Packages: &native.PackageListing{
			Created:   []native.Package{{Project: "sales_dw", Name: "sales_share", CreatedAt: at(4, 8)}},
			Installed: []native.PackageInstall{{Package: "dims", SourceProject: "common_dw", Status: "OK", InstalledAt: at(5, 12)}},
		}}, `Created packages:
+-------------+---------------------+
| PackageName | CreateTime          |
+-------------+---------------------+
| sales_share | 2024-03-04 08:04:05 |
+-------------+---------------------+
Installed packages:
+-------------+---------------+---------------------+--------+
| PackageName | SourceProject | InstallTime         | Status |
+-------------+---------------+---------------------+--------+
| dims        | common_dw     | 2024-03-05 12:04:05 | OK     |
+-------------+---------------+---------------------+--------+
`},
		{"NoPackages", native.SQLResult{Kind: "packages", Packages: &native.PackageListing{}}, `Created packages:
+-------------+------------+
| PackageName | CreateTime |
+-------------+------------+
+-------------+------------+
Installed packages:
+-------------+---------------+-------------+--------+
| PackageName | SourceProject | InstallTime | Status |
+-------------+---------------+-------------+--------+
+-------------+---------------+-------------+--------+
`},
		{"Table", native.SQLResult{Kind: "table", Table: &native.CatalogTable{
			Project: "sales_dw", Schema: "default", Name: "ods_orders", Kind: "table", Described: true, Owner: "alice",
			Comment: "orders, one row each", Lifecycle: 30, Label: 2, CreatedAt: at(1, 10), UpdatedAt: at(2, 11),
			Columns: []native.Column{
				{Name: "order_id", Type: "bigint", Comment: "the order"},
				{Name: "buyer_phone", Type: "string", Comment: "手机号", Label: 3},
				{Name: "amount", Type: "decimal(10,2)"},
			},
			PartitionColumns: []native.Column{{Name: "ds", Type: "string", Comment: "business day"}},
		}}, `+------------------------------------------------------------------------------------+
| Owner: alice | Project: sales_dw                                                   |
| TableComment: orders, one row each                                                 |
+------------------------------------------------------------------------------------+
| CreateTime:               2024-03-01 10:04:05                                      |
| LastDDLTime:              2024-03-02 11:04:05                                      |
| Lifecycle:                30                                                       |
| Label:                    2                                                        |
+------------------------------------------------------------------------------------+
| Native Columns:                                                                    |
+------------------------------------------------------------------------------------+
| Field           | Type          | Label | Comment                                  |
+------------------------------------------------------------------------------------+
| order_id        | bigint        |       | the order                                |
| buyer_phone     | string        | 3     | 手机号                                   |
| amount          | decimal(10,2) |       |                                          |
+------------------------------------------------------------------------------------+
| Partition Columns:                                                                 |
+------------------------------------------------------------------------------------+
| ds              | string        | business day                                     |
+------------------------------------------------------------------------------------+
`},
		{"View", native.SQLResult{Kind: "table", Table: &native.CatalogTable{
			Project: "sales_dw", Schema: "default", Name: "v_orders", Kind: "view", Described: true, Owner: "alice",
			ViewText: "SELECT order_id FROM ods_orders WHERE amount > 0", CreatedAt: at(1, 10), UpdatedAt: at(1, 10),
			Columns: []native.Column{{Name: "order_id", Type: "bigint"}},
		}}, `+------------------------------------------------------------------------------------+
| Owner: alice | Project: sales_dw                                                   |
| TableComment:                                                                      |
+------------------------------------------------------------------------------------+
| CreateTime:               2024-03-01 10:04:05                                      |
| LastDDLTime:              2024-03-01 10:04:05                                      |
+------------------------------------------------------------------------------------+
| VirtualView  : YES                                                                 |
| ViewText: SELECT order_id FROM ods_orders WHERE amount > 0                         |
+------------------------------------------------------------------------------------+
| Native Columns:                                                                    |
+------------------------------------------------------------------------------------+
| Field           | Type       | Label | Comment                                     |
+------------------------------------------------------------------------------------+
| order_id        | bigint     |       |                                             |
+------------------------------------------------------------------------------------+
`},
		{"Function", native.SQLResult{Kind: "function", Function: &native.Function{
			Name: "my_lower", Owner: "alice", CreatedAt: at(1, 10), Class: "com.example.Lower", Resources: []string{"udf.jar"},
		}}, `Name                                    my_lower
Owner                                   alice
Created Time                            2024-03-01 10:04:05
Class                                   com.example.Lower
Resources                               udf.jar
`},
		{"Resource", native.SQLResult{Kind: "resource", Resource: &native.Resource{
			Name: "udf.jar", Group: "udfs", Owner: "alice", Kind: "jar", Source: "upload:", Size: 1024, SHA256: "ab12",
			CreatedAt: at(1, 10), UpdatedAt: at(2, 11),
		}}, `Name                                    udf.jar
Group                                   udfs
Owner                                   alice
Type                                    jar
Source                                  upload:
Size                                    1024
SHA256                                  ab12
CreatedTime                             2024-03-01 10:04:05
LastModifiedTime                        2024-03-02 11:04:05
`},
		{"Package", native.SQLResult{Kind: "package", Package: &native.Package{
			Project: "sales_dw", Name: "sales_share", CreatedAt: at(4, 8),
			Objects: []native.PackageObject{
				{Type: "resource", Schema: "default", Name: "udtf.jar", Actions: []string{"read"}},
				{Type: "table", Schema: "default", Name: "sale_detail", Actions: []string{"describe", "select", "showhistory"}},
			},
			Allowed: []native.PackageAllow{{Project: "test_project_b", Label: 0}, {Project: "reports", Label: 2}},
		}}, `+------------------------------------------------------------------------------------+
| CreateTime:    2024-03-04 08:04:05                                                 |
| PackageName:   sales_share                                                         |
| SourceProject: sales_dw                                                            |
+------------------------------------------------------------------------------------+
| Object List                                                                        |
+------------------------------------------------------------------------------------+
| ObjectType   | ObjectName  | ObjectPrivileges                                      |
+------------------------------------------------------------------------------------+
| RESOURCE     | udtf.jar    | Read                                                  |
| TABLE        | sale_detail | Describe,Select,ShowHistory                           |
+------------------------------------------------------------------------------------+
| Allowed Project List                                                               |
+------------------------------------------------------------------------------------+
| ProjectName    | UserLabel                                                         |
+------------------------------------------------------------------------------------+
| test_project_b | 0                                                                 |
| reports        | 2                                                                 |
+------------------------------------------------------------------------------------+
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeSQLResults(&b, []native.SQLResult{tc.r}); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestSQLFormatWideBox: a line longer than odpscmd's box widens it, every line with it.
func TestSQLFormatWideBox(t *testing.T) {
	var b strings.Builder
	writeSQLResults(&b, []native.SQLResult{{Kind: "table", Table: &native.CatalogTable{Name: "t", Kind: "table", Owner: "alice",
		Comment: strings.Repeat("x", 100), Columns: []native.Column{{Name: "c", Type: "bigint"}}}}})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, l := range lines {
		if len(l) != len("| TableComment: ")+100+len(" |") {
			t.Fatalf("line of %d bytes in a box of %d:\n%s", len(l), len(lines[0]), b.String())
		}
	}
}

// TestSQLFormatSequence: several statements print in order, each its own way, listings set apart by blank
// lines; empty ones print nothing.
func TestSQLFormatSequence(t *testing.T) {
	var b strings.Builder
	writeSQLResults(&b, []native.SQLResult{
		{Statement: 1, Kind: "ok"}, {Statement: 2, Kind: "ok"},
		{Statement: 3, Kind: "tables", Tables: []native.CatalogTable{{Name: "a", Owner: "o"}}},
		{Statement: 4, Kind: "tables", Tables: []native.CatalogTable{}},
		{Statement: 5, Kind: "tables", Tables: []native.CatalogTable{}},
		{Statement: 6, Kind: "ok"},
	})
	if got, want := b.String(), "OK\nOK\n\no:a\n\nOK\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestSQLFlags(t *testing.T) {
	t.Setenv(envvar.ConfigFile, filepath.Join(t.TempDir(), "config.json"))
	t.Setenv(envvar.AccessKeyID, "id")
	t.Setenv(envvar.AccessKeySecret, "secret")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sql", "-e", "show tables"}, "--project is required"},
		{[]string{"sql", "--project", "p"}, "-e SCRIPT or -f FILE"},
		{[]string{"sql", "--project", "p", "-e", "show tables", "-f", "x.sql"}, "one of -e and -f"},
		{[]string{"sql", "--project", "p", "-f", "/nonexistent/x.sql"}, "read script"},
		{[]string{"sql", "--project", "p", "-e", "show tables", "--output", "yaml"}, `output "yaml"`},
	} {
		if _, _, err := execute(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("sluice %s: %v, want an error saying %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// sqlEnv is a real server in-process and the CLI pointed at it as root, through the environment.
func sqlEnv(t *testing.T) *sluicetest.Server {
	t.Helper()
	srv := sluicetest.NewServer(t)
	t.Setenv(envvar.ConfigFile, filepath.Join(t.TempDir(), "config.json"))
	t.Setenv(envvar.Profile, "")
	t.Setenv(envvar.Endpoint, srv.URL)
	t.Setenv(envvar.AccessKeyID, srv.AccessKeyID)
	t.Setenv(envvar.AccessKeySecret, srv.AccessKeySecret)
	return srv
}

// sql runs sluice sql with args and fails the test on an error.
func sql(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, stderr, err := executeWithInput(t, stdin, append([]string{"sql"}, args...)...)
	if err != nil {
		t.Fatalf("sluice sql %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// squeeze makes every run of spaces in s one space, so that checks do not depend on column widths.
func squeeze(s string) string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(ls, "\n")
}

// wantText checks that out holds each of want, spaces squeezed in both; a want may span lines.
func wantText(t *testing.T, what, out string, want ...string) {
	t.Helper()
	got := squeeze(out)
	for _, w := range want {
		if !strings.Contains(got, squeeze(w)) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// TestSQLEndToEnd runs DDL, labels, functions and every package statement through the CLI against a real
// server, as odpscmd users would write them.
func TestSQLEndToEnd(t *testing.T) {
	sqlEnv(t)
	for _, p := range []string{"sales_dw", "reports"} {
		if _, _, err := execute(t, "project", "create", p); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	jar := filepath.Join(dir, "udf.jar")
	os.WriteFile(jar, []byte("PK\x03\x04 not really a jar"), 0o644)
	if _, _, err := execute(t, "resource", "upload", jar, "--project", "sales_dw", "--kind", "jar"); err != nil {
		t.Fatal(err)
	}

	ddl := filepath.Join(dir, "ddl.sql")
	os.WriteFile(ddl, []byte(`-- the sales warehouse
SET odps.sql.type.system.odps2=true;
CREATE TABLE IF NOT EXISTS ods_orders (
    order_id    BIGINT        COMMENT 'the order',
    buyer_phone STRING        COMMENT 'buyer phone',
    amount      DECIMAL(10,2)
) COMMENT 'orders, one row each'
PARTITIONED BY (ds STRING COMMENT 'business day', region STRING)
LIFECYCLE 30;
CREATE TABLE dim_shop (shop_id BIGINT COMMENT 'shop', shop_name STRING);
CREATE VIEW v_big_orders AS SELECT order_id, amount FROM ods_orders WHERE amount > 100;
ALTER TABLE ods_orders ADD COLUMNS (channel STRING COMMENT 'sales channel');
ALTER TABLE ods_orders SET COMMENT 'orders';
ALTER TABLE ods_orders SET LIFECYCLE 90;
ALTER TABLE dim_shop RENAME TO dim_shops;
SET LABEL 3 TO TABLE ods_orders (buyer_phone);
SET LABEL 1 TO TABLE ods_orders;
CREATE FUNCTION my_lower AS 'com.example.Lower' USING 'udf.jar';
SHOW TABLES;
SHOW FUNCTIONS;
SHOW RESOURCES;
DESC ods_orders;
DESC FUNCTION my_lower;
DESC RESOURCE udf.jar;
`), 0o644)
	out := sql(t, "", "--project", "sales_dw", "-f", ddl)
	// Eleven changes print OK each; SHOW TABLES lists tables and views by name, the renamed one by its new.
	if !strings.HasPrefix(out, strings.Repeat("OK\n", 11)+"\nroot:dim_shops\nroot:ods_orders\nroot:v_big_orders\n\n") {
		t.Errorf("the changes and SHOW TABLES:\n%s", out)
	}
	wantText(t, "sluice sql -f ddl.sql", out,
		"| Name | Owner | Create Time | Class | Resources |",
		"| my_lower | root | 2", "| com.example.Lower | udf.jar |",
		"| Resource Name | Owner | Last Modified Time | Type |",
		"| udf.jar | root | ", " | jar |",
		`| Owner: root | Project: sales_dw |
| TableComment: orders |
+`,
		"| Lifecycle: 90 |\n| Label: 1 |",
		`| Native Columns: |
+------------------------------------------------------------------------------------+
| Field | Type | Label | Comment |
+------------------------------------------------------------------------------------+
| order_id | bigint | | the order |
| buyer_phone | string | 3 | buyer phone |
| amount | decimal(10,2) | | |
| channel | string | | sales channel |
+------------------------------------------------------------------------------------+
| Partition Columns: |
+------------------------------------------------------------------------------------+
| ds | string | business day |
| region | string | |
+------------------------------------------------------------------------------------+
`,
		"Name my_lower\nOwner root\nCreated Time ", "\nClass com.example.Lower\nResources udf.jar\n",
		"Name udf.jar\nOwner root\nType jar\nSource upload:root\nSize 21\n")

	// --output json is the server's answer: one object per statement, DESC with its structure.
	out = sql(t, "", "--project", "sales_dw", "-e", "DESC ods_orders; SHOW VIEWS", "--output", "json")
	var answer native.SQLResults
	if err := json.Unmarshal([]byte(out), &answer); err != nil {
		t.Fatalf("--output json: %v\n%s", err, out)
	}
	if len(answer.Results) != 2 {
		t.Fatalf("--output json: %s", out)
	}
	desc, views := answer.Results[0], answer.Results[1]
	if desc.Statement != 1 || desc.Line != 1 || desc.Kind != "table" || desc.Text != "DESC ods_orders" || desc.Table == nil ||
		desc.Table.Comment != "orders" || desc.Table.Lifecycle != 90 || desc.Table.Label != 1 || len(desc.Table.Columns) != 4 ||
		desc.Table.Columns[1].Label != 3 || len(desc.Table.PartitionColumns) != 2 || desc.Table.CreatedAt.IsZero() {
		t.Errorf("DESC as JSON: %+v", desc.Table)
	}
	if views.Statement != 2 || views.Kind != "tables" || len(views.Tables) != 1 || views.Tables[0].Name != "v_big_orders" || views.Tables[0].Kind != "view" {
		t.Errorf("SHOW VIEWS as JSON: %+v", views)
	}
	if !strings.Contains(out, `"partitionColumns": [`) || !strings.Contains(out, `"createdAt": "`) {
		t.Errorf("JSON field names:\n%s", out)
	}

	// Packages: the source project shares, the consumer installs, from standard input.
	out = sql(t, `CREATE PACKAGE sales_share;
ADD TABLE ods_orders TO PACKAGE sales_share WITH PRIVILEGES describe, select;
ADD RESOURCE udf.jar TO PACKAGE sales_share;
ADD FUNCTION my_lower TO PACKAGE sales_share WITH PRIVILEGES read, execute;
ALLOW PROJECT reports TO INSTALL PACKAGE sales_share USING LABEL 2;
SHOW PACKAGES;
DESCRIBE PACKAGE sales_share;
`, "--project", "sales_dw", "-f", "-")
	describe := `| PackageName: sales_share |
| SourceProject: sales_dw |
+------------------------------------------------------------------------------------+
| Object List |
+------------------------------------------------------------------------------------+
| ObjectType | ObjectName | ObjectPrivileges |
+------------------------------------------------------------------------------------+
| FUNCTION | my_lower | Read,Execute |
| RESOURCE | udf.jar | Read |
| TABLE | ods_orders | Describe,Select |
+------------------------------------------------------------------------------------+
| Allowed Project List |
+------------------------------------------------------------------------------------+
| ProjectName | UserLabel |
+------------------------------------------------------------------------------------+
| reports | 2 |
+------------------------------------------------------------------------------------+
`
	wantText(t, "the package in sales_dw", out, strings.Repeat("OK\n", 5)+"\nCreated packages:\n",
		"| PackageName | CreateTime |\n+-------------+---------------------+\n| sales_share | ",
		"Installed packages:\n+-------------+---------------+-------------+--------+\n| PackageName | SourceProject | InstallTime | Status |\n+-------------+---------------+-------------+--------+\n+-------------+---------------+-------------+--------+\n",
		describe)
	out = sql(t, "", "--project", "reports", "-e", `INSTALL PACKAGE sales_dw.sales_share;
SHOW PACKAGES;
DESC PACKAGE sales_dw.sales_share;`)
	wantText(t, "installed in reports", out, "OK\n\nCreated packages:\n", "| PackageName | CreateTime |\n+-------------+------------+\n+-------------+------------+\n",
		"| sales_share | sales_dw | ", " | OK |", describe)
	out = sql(t, "", "--project", "sales_dw", "-e", "SHOW PACKAGES", "-o", "json")
	if err := json.Unmarshal([]byte(out), &answer); err != nil || len(answer.Results) != 1 || answer.Results[0].Packages == nil ||
		len(answer.Results[0].Packages.Created) != 1 || len(answer.Results[0].Packages.Installed) != 0 {
		t.Errorf("SHOW PACKAGES in the source project: %v\n%s", err, out)
	}

	out = sql(t, "", "--project", "reports", "-e", "UNINSTALL PACKAGE sales_dw.sales_share; SHOW PACKAGES")
	if strings.Contains(out, "sales_share") {
		t.Errorf("uninstalled, still listed:\n%s", out)
	}
	out = sql(t, "", "--project", "sales_dw", "-e", `DISALLOW PROJECT reports TO INSTALL PACKAGE sales_share;
REMOVE TABLE ods_orders FROM PACKAGE sales_share;
DESC PACKAGE sales_share;`)
	if strings.Contains(out, "| reports") || strings.Contains(out, "| TABLE ") {
		t.Errorf("disallowed and removed, still there:\n%s", out)
	}
	if _, stderr, err := executeWithInput(t, "", "sql", "--project", "reports", "-e", "INSTALL PACKAGE sales_dw.sales_share"); err == nil {
		t.Errorf("installed after DISALLOW:\n%s", stderr)
	}
	out = sql(t, "", "--project", "sales_dw", "-e", "DROP PACKAGE sales_share; SHOW PACKAGES; DROP VIEW v_big_orders; DROP FUNCTION my_lower; DROP TABLE IF EXISTS nope; SHOW TABLES")
	if strings.Contains(out, "sales_share") || strings.Contains(out, "v_big_orders") || !strings.Contains(out, "root:ods_orders\n") {
		t.Errorf("after the drops:\n%s", out)
	}
}

// TestSQLErrors: refused statements, syntax errors and failures stop the script with nothing changed, the
// server's message on stderr and a non-zero status.
func TestSQLErrors(t *testing.T) {
	sqlEnv(t)
	if _, _, err := execute(t, "project", "create", "sales_dw"); err != nil {
		t.Fatal(err)
	}
	fail := func(args ...string) string {
		t.Helper()
		_, _, err := execute(t, append([]string{"sql", "--project", "sales_dw"}, args...)...)
		if err == nil {
			t.Fatalf("sluice sql %s succeeded", strings.Join(args, " "))
		}
		return err.Error()
	}
	msg := fail("-e", "CREATE TABLE kept (x BIGINT);\nSELECT * FROM kept;")
	if !strings.Contains(msg, "SELECT") || !strings.Contains(msg, "line 2") || !strings.Contains(msg, "no statement of it took effect") {
		t.Errorf("a SELECT: %s", msg)
	}
	msg = fail("-e", "CREATE TABLE kept (x BIGINT);\nSHOW TABLES;\nCREATE TABLE t (x BIGINT,);")
	if !strings.Contains(msg, "line 3, column 26") {
		t.Errorf("a syntax error on line 3: %s", msg)
	}
	// All or nothing: the third statement fails at run time, the first two are undone.
	if out := sql(t, "", "--project", "sales_dw", "-e", "CREATE TABLE taken (x BIGINT)"); out != "OK\n" {
		t.Fatalf("CREATE TABLE: %q", out)
	}
	msg = fail("-e", "CREATE TABLE a1 (x BIGINT);\nCREATE TABLE a2 (x BIGINT);\nCREATE TABLE taken (y STRING);")
	if !strings.Contains(msg, "taken") {
		t.Errorf("the failing statement: %s", msg)
	}
	if out := sql(t, "", "--project", "sales_dw", "-e", "SHOW TABLES"); out != "root:taken\n" {
		t.Errorf("after a failed script, SHOW TABLES prints:\n%s", out)
	}
	if msg := fail("-e", "DESC a1"); !strings.Contains(msg, "NotFound") {
		t.Errorf("DESC of an undone table: %s", msg)
	}
	// The exit status and stderr of the binary: main prints the error.
	_, stderr, err := execute(t, "sql", "--project", "nowhere", "-e", "SHOW TABLES")
	if err == nil {
		t.Errorf("a project that does not exist: %q", stderr)
	}
}
