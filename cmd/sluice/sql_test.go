package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
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

// TestSQLFormatSequence: several statements print in order, each its own way.
func TestSQLFormatSequence(t *testing.T) {
	var b strings.Builder
	writeSQLResults(&b, []native.SQLResult{
		{Statement: 1, Kind: "ok"}, {Statement: 2, Kind: "ok"},
		{Statement: 3, Kind: "tables", Tables: []native.CatalogTable{{Name: "a", Owner: "o"}}},
		{Statement: 4, Kind: "ok"},
	})
	if got, want := b.String(), "OK\nOK\no:a\nOK\n"; got != want {
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
