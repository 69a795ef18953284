package roa

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
)

// as returns a context acting as the user of key.
func (e *env) as(t *testing.T, key *sluice.AccessKey) context.Context {
	t.Helper()
	_, u, err := e.svc.Authenticate(context.Background(), key.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

func (e *env) project(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if _, err := e.svc.CreateProject(ctx, sluice.ProjectCreate{Name: name}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) member(t *testing.T, project, user string, role sluice.Role) {
	t.Helper()
	if _, err := e.svc.PutMember(e.ctx, sluice.ProjectByName(project), user, role); err != nil {
		t.Fatal(err)
	}
}

// sql runs a script of metadata statements in project.
func (e *env) sql(t *testing.T, ctx context.Context, project, script string) []*sluice.SQLResult {
	t.Helper()
	rs, err := e.cat.RunSQL(ctx, sluice.ProjectByName(project), script)
	if err != nil {
		t.Fatalf("RunSQL in %s: %v\n%s", project, err, script)
	}
	return rs
}

// resource uploads bytes as a resource of project.
func (e *env) resource(t *testing.T, ctx context.Context, project, group, name string, kind sluice.ResourceKind, data string) {
	t.Helper()
	r := sluice.Resource{Group: group, Name: name, Kind: kind, Size: int64(len(data))}
	if _, err := e.svc.PutResource(ctx, sluice.ProjectByName(project), r, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}

// pages walks a marker-paged list API with maxItem and returns the names in order and the page count.
func pages(t *testing.T, maxItem int, list func(query map[string]*string) (names []string, marker string, gotMax int32, err error)) ([]string, int) {
	t.Helper()
	var all []string
	marker := ""
	for n := 1; ; n++ {
		q := map[string]*string{"maxItem": dara.String(fmt.Sprint(maxItem))}
		if marker != "" {
			q["marker"] = dara.String(marker)
		}
		names, next, gotMax, err := list(q)
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		if gotMax != int32(maxItem) || len(names) > maxItem {
			t.Fatalf("page %d: %d items, maxItem %d, asked %d", n, len(names), gotMax, maxItem)
		}
		all = append(all, names...)
		if next == "" {
			return all, n
		}
		if len(names) != maxItem {
			t.Fatalf("page %d is short (%d) but has a marker", n, len(names))
		}
		if n > 100 {
			t.Fatal("paging does not end")
		}
		marker = next
	}
}

func tableNames(c *openapi.Client, project string, extra map[string]*string) func(map[string]*string) ([]string, string, int32, error) {
	return func(q map[string]*string) ([]string, string, int32, error) {
		for k, v := range extra {
			q[k] = v
		}
		resp, err := listTables(c, project, q)
		if err != nil {
			return nil, "", 0, err
		}
		var names []string
		for _, tb := range resp.Body.Data.Tables {
			names = append(names, dara.StringValue(tb.Name))
		}
		return names, dara.StringValue(resp.Body.Data.Marker), dara.Int32Value(resp.Body.Data.MaxItem), nil
	}
}

func recent(t *testing.T, what string, ms int64, since time.Time) {
	t.Helper()
	if got := time.UnixMilli(ms); got.Before(since.Add(-time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("%s = %d (%v), want epoch ms about now", what, ms, got)
	}
}

func TestTables(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	since := time.Now()
	e.project(t, e.ctx, "sales_dw")
	e.sql(t, e.ctx, "sales_dw", `
CREATE TABLE orders (id BIGINT COMMENT 'order id', amount DECIMAL(10,2), buyer STRING COMMENT 'the buyer',
  tags ARRAY<STRUCT<k:STRING,v:STRING>>) COMMENT 'all orders' PARTITIONED BY (ds STRING COMMENT 'day', region STRING) LIFECYCLE 30;
CREATE TABLE dim_region (code STRING, name STRING);
CREATE VIEW v_orders AS SELECT id, amount FROM orders;
SET LABEL 2 TO TABLE orders;
SET LABEL 4 TO TABLE orders (buyer);
CREATE TABLE t01 (x BIGINT); CREATE TABLE t02 (x BIGINT); CREATE TABLE t03 (x BIGINT);
CREATE TABLE t04 (x BIGINT); CREATE TABLE t05 (x BIGINT);
`)
	all := []string{"dim_region", "orders", "t01", "t02", "t03", "t04", "t05", "v_orders"}

	t.Run("Paging", func(t *testing.T) {
		for _, maxItem := range []int{1, 2, 3, 8, 1000} {
			names, n := pages(t, maxItem, tableNames(c, "sales_dw", nil))
			if !slices.Equal(names, all) {
				t.Errorf("maxItem %d: %v, want %v", maxItem, names, all)
			}
			if want := (len(all) + maxItem - 1) / maxItem; n != want {
				t.Errorf("maxItem %d: %d pages, want %d", maxItem, n, want)
			}
		}
		resp, err := listTables(c, "sales_dw", nil) // defaults: 10 a page
		if err != nil {
			t.Fatal(err)
		}
		d := resp.Body.Data
		if dara.Int32Value(d.MaxItem) != 10 || len(d.Tables) != len(all) || dara.StringValue(d.Marker) != "" {
			t.Errorf("default page = %s", dara.Prettify(d))
		}
		o := d.Tables[1]
		if dara.StringValue(o.Name) != "orders" || dara.StringValue(o.DisplayName) != "orders" || dara.StringValue(o.Schema) != "default" ||
			dara.StringValue(o.Type) != "internal" || dara.StringValue(o.Owner) != core.RootUser {
			t.Errorf("listed orders = %s", dara.Prettify(o))
		}
		recent(t, "creationTime", dara.Int64Value(o.CreationTime), since)
		if v := d.Tables[len(d.Tables)-1]; dara.StringValue(v.Type) != "view" {
			t.Errorf("listed v_orders = %s", dara.Prettify(v))
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			query map[string]*string
			want  []string
		}{
			{map[string]*string{"prefix": dara.String("t0")}, all[2:7]},
			{map[string]*string{"prefix": dara.String("T0")}, all[2:7]},
			{map[string]*string{"type": dara.String("view")}, all[7:]},
			{map[string]*string{"type": dara.String("VIRTUAL_VIEW")}, all[7:]},
			{map[string]*string{"type": dara.String("internal")}, all[:7]},
			{map[string]*string{"type": dara.String("MANAGED_TABLE"), "prefix": dara.String("o")}, all[1:2]},
			{map[string]*string{"type": dara.String("external")}, nil},
			{map[string]*string{"type": dara.String("materializedView")}, nil},
			{map[string]*string{"schemaName": dara.String("default")}, all},
		} {
			names, _ := pages(t, 3, tableNames(c, "sales_dw", tc.query))
			if !slices.Equal(names, tc.want) {
				t.Errorf("%s: %v, want %v", dara.Prettify(tc.query), names, tc.want)
			}
		}
	})

	t.Run("GetTableInfo", func(t *testing.T) {
		for _, algorithm := range []string{"", "v2"} {
			resp, err := getTableInfo(e.dara(t, e.root.ID, e.root.Secret, algorithm), "sales_dw", "orders", nil)
			if err != nil {
				t.Fatal(err)
			}
			d := resp.Body.Data
			if dara.StringValue(resp.Body.RequestId) == "" {
				t.Error("no requestId")
			}
			want := map[string]string{"name": "orders", "displayName": "sales_dw.default.orders", "projectName": "sales_dw",
				"schema": "default", "type": "internal", "owner": core.RootUser, "comment": "all orders", "tableLabel": "2",
				"lifecycle": "30"}
			got := map[string]string{"name": dara.StringValue(d.Name), "displayName": dara.StringValue(d.DisplayName),
				"projectName": dara.StringValue(d.ProjectName), "schema": dara.StringValue(d.Schema), "type": dara.StringValue(d.Type),
				"owner": dara.StringValue(d.Owner), "comment": dara.StringValue(d.Comment), "tableLabel": dara.StringValue(d.TableLabel),
				"lifecycle": dara.StringValue(d.Lifecycle)}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
			cols := columns(d.NativeColumns)
			if want := "id BIGINT 'order id' 0|amount DECIMAL(10,2) '' 0|buyer STRING 'the buyer' 4|tags ARRAY<STRUCT<k:STRING,v:STRING>> '' 0"; cols != want {
				t.Errorf("nativeColumns = %s\nwant %s", cols, want)
			}
			if parts, want := columns(d.PartitionColumns), "ds STRING 'day' -|region STRING '' -"; parts != want {
				t.Errorf("partitionColumns = %s, want %s", parts, want)
			}
			recent(t, "creationTime", dara.Int64Value(d.CreationTime), since)
			if ddl := dara.Int64Value(d.LastDDLTime); ddl < dara.Int64Value(d.CreationTime) || ddl != dara.Int64Value(d.LastModifiedTime) ||
				ddl != dara.Int64Value(d.LastAccessTime) {
				t.Errorf("times: creation %d, lastDDL %d, lastModified %d, lastAccess %d", dara.Int64Value(d.CreationTime), ddl,
					dara.Int64Value(d.LastModifiedTime), dara.Int64Value(d.LastAccessTime))
			}
			wantDDL := "CREATE TABLE IF NOT EXISTS orders (id BIGINT COMMENT 'order id', amount DECIMAL(10,2), buyer STRING COMMENT 'the buyer', " +
				"tags ARRAY<STRUCT<k:STRING,v:STRING>>) COMMENT 'all orders' PARTITIONED BY (ds STRING COMMENT 'day', region STRING) LIFECYCLE 30;"
			if got := dara.StringValue(d.CreateTableDDL); got != wantDDL {
				t.Errorf("createTableDDL = %s\nwant %s", got, wantDDL)
			}
			if d.Size == nil || dara.Int64Value(d.Size) != 0 || d.IsExternalTable == nil || dara.BoolValue(d.IsExternalTable) ||
				dara.BoolValue(d.MaterializedView) || d.ViewText != nil {
				t.Errorf("synthesised fields = size %v external %v mv %v viewText %v", d.Size, d.IsExternalTable, d.MaterializedView, d.ViewText)
			}
		}

		dim, err := getTableInfo(c, "sales_dw", "DIM_REGION", map[string]*string{"type": dara.String("internal"), "schemaName": dara.String("default")})
		if err != nil {
			t.Fatal(err)
		}
		if d := dim.Body.Data; dara.StringValue(d.Lifecycle) != "-1" || d.PartitionColumns != nil || dara.StringValue(d.TableLabel) != "0" ||
			columns(d.NativeColumns) != "code STRING '' 0|name STRING '' 0" {
			t.Errorf("dim_region = %s", dara.Prettify(d))
		}
		view, err := getTableInfo(c, "sales_dw", "v_orders", map[string]*string{"type": dara.String("view")})
		if err != nil {
			t.Fatal(err)
		}
		if d := view.Body.Data; dara.StringValue(d.Type) != "view" || !strings.Contains(dara.StringValue(d.ViewText), "SELECT id, amount FROM orders") ||
			!strings.HasPrefix(dara.StringValue(d.CreateTableDDL), "CREATE VIEW IF NOT EXISTS v_orders AS SELECT id, amount FROM orders") {
			t.Errorf("v_orders = %s", dara.Prettify(d))
		}
		_, err = getTableInfo(c, "sales_dw", "v_orders", map[string]*string{"type": dara.String("internal")})
		wantDARAError(t, err, 404, "NoSuchObject")
		_, err = getTableInfo(c, "sales_dw", "orders", map[string]*string{"type": dara.String("external")})
		wantDARAError(t, err, 404, "NoSuchObject")
	})
}

// columns renders columns as "name TYPE 'comment' label|...", label "-" when absent.
func columns(cs []*GetTableInfoResponseBodyDataNativeColumns) string {
	var parts []string
	for _, c := range cs {
		label := "-"
		if c.Label != nil {
			label = *c.Label
		}
		parts = append(parts, fmt.Sprintf("%s %s '%s' %s", dara.StringValue(c.Name), dara.StringValue(c.Type), dara.StringValue(c.Comment), label))
	}
	return strings.Join(parts, "|")
}

func TestFunctions(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	since := time.Now()
	e.project(t, e.ctx, "udf_dw")
	e.resource(t, e.ctx, "udf_dw", "", "udfs.jar", sluice.KindJar, "PK jar bytes")
	e.resource(t, e.ctx, "udf_dw", "", "dict.txt", sluice.KindFile, "a b c")
	e.sql(t, e.ctx, "udf_dw", `
CREATE FUNCTION to_upper AS 'com.example.Upper' USING 'udfs.jar';
CREATE FUNCTION to_lower AS 'com.example.Lower' USING 'udfs.jar, dict.txt';
CREATE FUNCTION add_one AS 'com.example.AddOne' USING 'udfs.jar';
CREATE FUNCTION to_date AS 'com.example.ToDate' USING 'udfs.jar';
`)
	all := []string{"add_one", "to_date", "to_lower", "to_upper"}
	list := func(extra map[string]*string) func(map[string]*string) ([]string, string, int32, error) {
		return func(q map[string]*string) ([]string, string, int32, error) {
			for k, v := range extra {
				q[k] = v
			}
			resp, err := listFunctions(c, "udf_dw", q)
			if err != nil {
				return nil, "", 0, err
			}
			var names []string
			for _, f := range resp.Body.Data.Functions {
				names = append(names, dara.StringValue(f.Name))
			}
			return names, dara.StringValue(resp.Body.Data.Marker), dara.Int32Value(resp.Body.Data.MaxItem), nil
		}
	}
	for _, maxItem := range []int{1, 3, 4} {
		if names, n := pages(t, maxItem, list(nil)); !slices.Equal(names, all) || n != (len(all)+maxItem-1)/maxItem {
			t.Errorf("maxItem %d: %v in %d pages", maxItem, names, n)
		}
	}
	if names, _ := pages(t, 1, list(map[string]*string{"prefix": dara.String("to_")})); !slices.Equal(names, all[1:]) {
		t.Errorf("prefix to_: %v", names)
	}
	resp, err := listFunctions(c, "udf_dw", map[string]*string{"prefix": dara.String("to_lower")})
	if err != nil {
		t.Fatal(err)
	}
	if fs := resp.Body.Data.Functions; len(fs) != 1 || dara.StringValue(fs[0].Class) != "com.example.Lower" ||
		dara.StringValue(fs[0].Resources) != "udfs.jar,dict.txt" || dara.StringValue(fs[0].Owner) != core.RootUser ||
		dara.StringValue(fs[0].Schema) != "default" || dara.StringValue(fs[0].DisplayName) != "to_lower" {
		t.Errorf("to_lower = %s", dara.Prettify(fs))
	} else {
		recent(t, "creationTime", dara.Int64Value(fs[0].CreationTime), since)
	}
}

func TestResources(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	since := time.Now()
	e.project(t, e.ctx, "res_dw")
	e.resource(t, e.ctx, "res_dw", "", "a.jar", sluice.KindJar, "0123456789")
	e.resource(t, e.ctx, "res_dw", "", "b.py", sluice.KindPyFile, "print(1)")
	e.resource(t, e.ctx, "res_dw", "", "model.bin", sluice.KindModelFile, "weights")
	e.resource(t, e.ctx, "res_dw", "g1", "c.txt", sluice.KindFile, "c")
	e.resource(t, e.ctx, "res_dw", "g2", "a.jar", sluice.KindJar, "another a")
	want := []string{"a.jar jar 10", "a.jar jar 9", "b.py py 8", "c.txt file 1", "model.bin file 7"}
	list := func(extra map[string]*string) func(map[string]*string) ([]string, string, int32, error) {
		return func(q map[string]*string) ([]string, string, int32, error) {
			for k, v := range extra {
				q[k] = v
			}
			resp, err := listResources(c, "res_dw", q)
			if err != nil {
				return nil, "", 0, err
			}
			var out []string
			for _, r := range resp.Body.Data.Resources {
				out = append(out, fmt.Sprintf("%s %s %d", dara.StringValue(r.Name), dara.StringValue(r.Type), dara.Int64Value(r.Size)))
				if dara.StringValue(r.Owner) != core.RootUser || dara.StringValue(r.LastUpdator) != core.RootUser ||
					dara.StringValue(r.Schema) != "default" || dara.StringValue(r.DisplayName) != dara.StringValue(r.Name) || r.ContentMD5 != nil {
					t.Errorf("resource %s", dara.Prettify(r))
				}
				recent(t, "creationTime", dara.Int64Value(r.CreationTime), since)
				recent(t, "lastModifiedTime", dara.Int64Value(r.LastModifiedTime), since)
			}
			return out, dara.StringValue(resp.Body.Data.Marker), dara.Int32Value(resp.Body.Data.MaxItem), nil
		}
	}
	for _, maxItem := range []int{1, 2, 5, 10} {
		if got, n := pages(t, maxItem, list(nil)); !slices.Equal(got, want) || n != (len(want)+maxItem-1)/maxItem {
			t.Errorf("maxItem %d: %v in %d pages, want %v", maxItem, got, n, want)
		}
	}
	if got, _ := pages(t, 1, list(map[string]*string{"name": dara.String("a")})); !slices.Equal(got, want[:2]) {
		t.Errorf("name a: %v", got)
	}
	if got, _ := pages(t, 3, list(map[string]*string{"schemaName": dara.String("other")})); len(got) != 0 {
		t.Errorf("schemaName other: %v", got)
	}
}

// pkgView renders GetPackage's data: "allowed p:label,...; table n[a,b] ...; resource ...; function ...".
func pkgView(d *GetPackageResponseBodyData) string {
	var allowed []string
	for _, a := range d.AllowedProjectList {
		allowed = append(allowed, dara.StringValue(a.Project)+":"+dara.StringValue(a.Label))
	}
	objs := func(kind string, os []*GetPackageResponseBodyDataResourceListTable) string {
		var out []string
		for _, o := range os {
			out = append(out, fmt.Sprintf("%s.%s%v", dara.StringValue(o.SchemaName), dara.StringValue(o.Name), dara.StringSliceValue(o.Actions)))
		}
		return kind + " " + strings.Join(out, " ")
	}
	rl := d.ResourceList
	if rl == nil {
		rl = &GetPackageResponseBodyDataResourceList{}
	}
	return "allowed " + strings.Join(allowed, ",") + "; " + objs("table", rl.Table) + "; " + objs("resource", rl.Resource) + "; " +
		objs("function", rl.Function)
}

func mustPackage(t *testing.T, c *openapi.Client, project, name, source string) string {
	t.Helper()
	resp, err := getPackage(c, project, name, source)
	if err != nil {
		t.Fatalf("GetPackage %s/%s (source %q): %v", project, name, source, err)
	}
	b := resp.Body
	if dara.Int32Value(b.HttpCode) != 200 || b.ErrorCode != nil || b.ErrorMsg != nil || dara.StringValue(b.RequestId) == "" {
		t.Errorf("GetPackage envelope = %s", dara.Prettify(b))
	}
	return pkgView(b.Data)
}

// packageNames renders ListPackages: "created a,b; installed src.p(OK),...".
func packageNames(t *testing.T, c *openapi.Client, project string, since time.Time) string {
	t.Helper()
	resp, err := listPackages(c, project)
	if err != nil {
		t.Fatalf("ListPackages %s: %v", project, err)
	}
	var created, installed []string
	for _, p := range resp.Body.Data.CreatedPackages {
		created = append(created, dara.StringValue(p.Name))
		recent(t, "createTime", dara.Int64Value(p.CreateTime), since)
	}
	for _, p := range resp.Body.Data.InstalledPackages {
		installed = append(installed, fmt.Sprintf("%s.%s(%s)", dara.StringValue(p.SourceProject), dara.StringValue(p.Name), dara.StringValue(p.Status)))
		recent(t, "installTime", dara.Int64Value(p.InstallTime), since)
	}
	return "created " + strings.Join(created, ",") + "; installed " + strings.Join(installed, ",")
}

func TestPackages(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	since := time.Now()
	for _, p := range []string{"src_dw", "dst_dw", "other_dw"} {
		e.project(t, e.ctx, p)
	}
	e.resource(t, e.ctx, "src_dw", "", "r1.jar", sluice.KindJar, "jar")
	e.sql(t, e.ctx, "src_dw", `
CREATE TABLE t1 (a BIGINT); CREATE TABLE t2 (b STRING);
CREATE FUNCTION f1 AS 'com.example.F1' USING 'r1.jar';
`)
	created, err := createPackage(c, "src_dw", nil, dara.String(`{"name":"pkg1","resourceList":{
		"table":[{"name":"t1","actions":["Describe","Select"]}],
		"resource":[{"name":"r1.jar","actions":["Read"]}],
		"function":[{"name":"f1","actions":["READ"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if dara.StringValue(created.Body.Data) != "success" || dara.StringValue(created.Body.RequestId) == "" {
		t.Errorf("CreatePackage = %s", dara.Prettify(created.Body))
	}
	want := "allowed ; table default.t1[describe select]; resource default.r1.jar[read]; function default.f1[read]"
	if got := mustPackage(t, c, "src_dw", "pkg1", ""); got != want {
		t.Errorf("GetPackage = %s\nwant %s", got, want)
	}
	if got := packageNames(t, c, "src_dw", since); got != "created pkg1; installed " {
		t.Errorf("ListPackages = %s", got)
	}

	// Allow with a string label, add a table, remove the function; then relabel with a number.
	updated, err := updatePackage(c, "src_dw", "pkg1", dara.String(`{
		"add":{"allowedProjectList":[{"project":"dst_dw","label":"2"},{"project":"other_dw"}],
		       "resourceList":{"table":[{"name":"t2","actions":["describe"]}]}},
		"remove":{"resourceList":{"function":[{"name":"f1"}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if dara.StringValue(updated.Body.Data) != "success" {
		t.Errorf("UpdatePackage = %s", dara.Prettify(updated.Body))
	}
	want = "allowed dst_dw:2,other_dw:0; table default.t1[describe select] default.t2[describe]; resource default.r1.jar[read]; function "
	if got := mustPackage(t, c, "src_dw", "pkg1", ""); got != want {
		t.Errorf("after update: %s\nwant %s", got, want)
	}
	if _, err := updatePackage(c, "src_dw", "pkg1", dara.String(`{"add":{"allowedProjectList":[{"project":"dst_dw","label":3}]},
		"remove":{"allowedProjectList":[{"project":"other_dw"}]}}`)); err != nil {
		t.Fatal(err)
	}
	want = "allowed dst_dw:3; table default.t1[describe select] default.t2[describe]; resource default.r1.jar[read]; function "
	if got := mustPackage(t, c, "src_dw", "pkg1", ""); got != want {
		t.Errorf("after relabel: %s\nwant %s", got, want)
	}

	// Objects without actions get the defaults; allowing, installing and disallowing dst_dw: the
	// installation goes with the allow-list entry.
	if _, err := createPackage(c, "src_dw", nil, dara.String(`{"name":"Defaults","resourceList":{"table":[{"name":"t2"}],
		"resource":[{"name":"r1.jar","actions":[]}],"function":[{"name":"f1","actions":null}]}}`)); err != nil {
		t.Fatal(err)
	}
	if got, want := mustPackage(t, c, "src_dw", "defaults", ""),
		"allowed ; table default.t2[describe select]; resource default.r1.jar[read]; function default.f1[read]"; got != want {
		t.Errorf("defaults = %s\nwant %s", got, want)
	}
	if _, err := updatePackage(c, "src_dw", "defaults", dara.String(`{"add":{"allowedProjectList":[{"project":"dst_dw","label":null}]}}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := createPackage(c, "dst_dw", dara.Bool(true), dara.String(`{"name":"src_dw.defaults"}`)); err != nil {
		t.Fatal(err)
	}
	_, err = createPackage(c, "dst_dw", dara.Bool(true), dara.String(`{"name":"src_dw.defaults"}`))
	wantDARAError(t, err, 409, "ObjectAlreadyExists")
	if got := packageNames(t, c, "dst_dw", since); got != "created ; installed src_dw.defaults(OK)" {
		t.Errorf("dst_dw = %s", got)
	}
	// From the consumer's side the package shows its objects and the consumer's own allow-list entry.
	if got, want := mustPackage(t, c, "dst_dw", "defaults", "src_dw"),
		"allowed dst_dw:0; table default.t2[describe select]; resource default.r1.jar[read]; function default.f1[read]"; got != want {
		t.Errorf("defaults from dst_dw = %s\nwant %s", got, want)
	}
	if _, err := updatePackage(c, "src_dw", "defaults", dara.String(`{"remove":{"allowedProjectList":[{"project":"dst_dw"}]}}`)); err != nil {
		t.Fatal(err)
	}
	if got := packageNames(t, c, "dst_dw", since); got != "created ; installed " {
		t.Errorf("dst_dw after disallow = %s", got)
	}
	if _, err := createPackage(c, "dst_dw", dara.Bool(true), dara.String(`{"name":"src_dw.defaults"}`)); err == nil {
		t.Error("installed after disallow")
	}
	e.sql(t, e.ctx, "src_dw", "DROP PACKAGE defaults;")

	bobKey := e.user(t, "bob")     // no member of src_dw
	carolKey := e.user(t, "carol") // a viewer of src_dw
	e.member(t, "src_dw", "carol", sluice.RoleViewer)
	bob, carol := e.dara(t, bobKey.ID, bobKey.Secret, ""), e.dara(t, carolKey.ID, carolKey.Secret, "")
	if got := mustPackage(t, carol, "src_dw", "pkg1", ""); got != want {
		t.Errorf("viewer's GetPackage = %s", got)
	}

	isInstall := dara.Bool(true)
	create := func(cl *openapi.Client, project string, install *bool, body string) func() error {
		return func() error { _, err := createPackage(cl, project, install, dara.String(body)); return err }
	}
	update := func(cl *openapi.Client, project, name, body string) func() error {
		return func() error { _, err := updatePackage(cl, project, name, dara.String(body)); return err }
	}
	get := func(cl *openapi.Client, project, name, source string) func() error {
		return func() error { _, err := getPackage(cl, project, name, source); return err }
	}
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"CreateMalformed", create(c, "src_dw", nil, `{"name":`), 400, "InvalidParameter"},
		{"CreateNoBody", func() error { _, err := createPackage(c, "src_dw", nil, nil); return err }, 400, "InvalidParameter"},
		{"CreateNameNumber", create(c, "src_dw", nil, `{"name":7}`), 400, "InvalidParameter"},
		{"CreateNoName", create(c, "src_dw", nil, `{"resourceList":{}}`), 400, "InvalidParameter"},
		{"CreateResourceListArray", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":[]}`), 400, "InvalidParameter"},
		{"CreateUnknownType", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":{"view":[{"name":"t1"}]}}`), 400, "InvalidParameter"},
		{"CreateObjectNoName", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":{"table":[{"actions":["select"]}]}}`), 400, "InvalidParameter"},
		{"CreateActionsString", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":{"table":[{"name":"t1","actions":"select"}]}}`), 400, "InvalidParameter"},
		{"CreateInvalidAction", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":{"table":[{"name":"t1","actions":["Fly"]}]}}`), 400, "InvalidParameter"},
		{"CreateTaken", create(c, "src_dw", nil, `{"name":"PKG1"}`), 409, "ObjectAlreadyExists"},
		{"InstallNoDot", create(c, "dst_dw", isInstall, `{"name":"pkg1"}`), 400, "InvalidParameter"},
		{"InstallWithObjects", create(c, "dst_dw", isInstall, `{"name":"src_dw.pkg1","resourceList":{"table":[{"name":"t1"}]}}`), 400, "InvalidParameter"},
		{"CreateUnknownProject", create(c, "no_such_dw", nil, `{"name":"pkg2"}`), 403, "NoPermission"},
		{"CreateNonMember", create(bob, "src_dw", nil, `{"name":"pkg2"}`), 403, "NoPermission"},
		{"CreateViewer", create(carol, "src_dw", nil, `{"name":"pkg2"}`), 403, "NoPermission"},
		{"UpdateMalformed", update(c, "src_dw", "pkg1", `{"add":`), 400, "InvalidParameter"},
		{"UpdateNothing", update(c, "src_dw", "pkg1", `{}`), 400, "InvalidParameter"},
		{"UpdateEmptyLists", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[],"resourceList":{"table":[]}}}`), 400, "InvalidParameter"},
		{"UpdateLabelTen", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":"10"}]}}`), 400, "InvalidParameter"},
		{"UpdateLabelWord", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":"high"}]}}`), 400, "InvalidParameter"},
		{"UpdateLabelFraction", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":2.5}]}}`), 400, "InvalidParameter"},
		{"UpdateLabelNegative", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":-1}]}}`), 400, "InvalidParameter"},
		{"UpdateLabelBool", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":true}]}}`), 400, "InvalidParameter"},
		{"UpdateProjectMissing", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"label":"1"}]}}`), 400, "InvalidParameter"},
		{"UpdateListNotArray", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":{"project":"other_dw"}}}`), 400, "InvalidParameter"},
		{"UpdateUnknownType", update(c, "src_dw", "pkg1", `{"remove":{"resourceList":{"instance":[{"name":"i1"}]}}}`), 400, "InvalidParameter"},
		{"UpdateInvalidAction", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw"}],
			"resourceList":{"function":[{"name":"f1","actions":["select"]}]}}}`), 400, "InvalidParameter"},
		{"UpdateUnknownAllowed", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"no_such_dw"}]}}`), 403, "NoPermission"},
		{"UpdateUnknownDisallowed", update(c, "src_dw", "pkg1", `{"remove":{"allowedProjectList":[{"project":"no_such_dw"}]}}`), 403, "NoPermission"},
		{"UpdateOwnProject", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"src_dw"}]}}`), 400, "InvalidParameter"},
		{"UpdateUnknownObject", update(c, "src_dw", "pkg1", `{"add":{"resourceList":{"table":[{"name":"no_table"}]}}}`), 404, "NoSuchObject"},
		{"UpdateObjectTwice", update(c, "src_dw", "pkg1", `{"add":{"resourceList":{"table":[{"name":"t1"}]}}}`), 409, "ObjectAlreadyExists"},
		{"UpdateHalfBad", update(c, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw","label":"5"}],
			"resourceList":{"function":[{"name":"f1"},{"name":"no_function"}]}}}`), 404, "NoSuchObject"},
		{"CreateHalfBad", create(c, "src_dw", nil, `{"name":"pkg2","resourceList":{"table":[{"name":"t1"},{"name":"no_table"}]}}`), 404, "NoSuchObject"},
		{"UpdateUnknownPackage", update(c, "src_dw", "no_pkg", `{"add":{"allowedProjectList":[{"project":"other_dw"}]}}`), 404, "NoSuchObject"},
		{"UpdateUnknownProject", update(c, "no_such_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw"}]}}`), 403, "NoPermission"},
		{"UpdateNonMember", update(bob, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw"}]}}`), 403, "NoPermission"},
		{"UpdateViewer", update(carol, "src_dw", "pkg1", `{"add":{"allowedProjectList":[{"project":"other_dw"}]}}`), 403, "NoPermission"},
		{"GetUnknownPackage", get(c, "src_dw", "no_pkg", ""), 404, "NoSuchObject"},
		{"GetUnknownProject", get(c, "no_such_dw", "pkg1", ""), 403, "NoPermission"},
		{"GetUnknownSource", get(c, "dst_dw", "pkg1", "no_such_dw"), 403, "NoPermission"},
		{"GetNotInstalled", get(c, "dst_dw", "pkg1", "src_dw"), 404, "NoSuchObject"},
		{"GetNonMember", get(bob, "src_dw", "pkg1", ""), 403, "NoPermission"},
		{"ListUnknownProject", func() error { _, err := listPackages(c, "no_such_dw"); return err }, 403, "NoPermission"},
		{"ListNonMember", func() error { _, err := listPackages(bob, "src_dw"); return err }, 403, "NoPermission"},
		{"BadIsInstall", func() error {
			_, err := call[CreatePackageResponse](c, params("CreatePackage", "POST", projectPath("src_dw")+"/packages"),
				&openapi.OpenApiRequest{Query: map[string]*string{"isInstall": dara.String("maybe")}, Body: dara.String(`{"name":"pkg2"}`)})
			return err
		}, 400, "InvalidParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantDARAError(t, tc.call(), tc.status, tc.code) })
	}
	if got := mustPackage(t, c, "src_dw", "pkg1", ""); got != want {
		t.Errorf("after refusals: %s\nwant %s", got, want)
	}
	for project, want := range map[string]string{"src_dw": "created pkg1; installed ", "dst_dw": "created ; installed ",
		"other_dw": "created ; installed "} {
		if got := packageNames(t, c, project, since); got != want {
			t.Errorf("ListPackages %s after refusals = %s, want %s", project, got, want)
		}
	}
}

// TestPackages_Scenario is the whole story: project A shares a table, a resource and a function with
// project B under label 2; B installs the package; a member of B alone reads A's table within the label;
// dropping the package takes it away on both sides.
func TestPackages_Scenario(t *testing.T) {
	e := newEnv(t)
	since := time.Now()
	aliceKey, bobKey, doraKey := e.user(t, "alice"), e.user(t, "bob"), e.user(t, "dora")
	alice, bob, dora := e.dara(t, aliceKey.ID, aliceKey.Secret, ""), e.dara(t, bobKey.ID, bobKey.Secret, ""), e.dara(t, doraKey.ID, doraKey.Secret, "")
	actx := e.as(t, aliceKey)
	for _, p := range []struct {
		key  *openapi.Client
		name string
	}{{alice, "proj_a"}, {bob, "proj_b"}, {bob, "proj_c"}} {
		if _, err := createProject(p.key, dara.String(`{"name":"`+p.name+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	e.member(t, "proj_b", "dora", sluice.RoleViewer) // dora is in B only

	// A's objects: a table made by DDL with labelled columns, a resource, a function using it.
	e.sql(t, actx, "proj_a", `
CREATE TABLE customers (id BIGINT COMMENT 'key', name STRING, email STRING, phone STRING) COMMENT 'who buys' PARTITIONED BY (ds STRING);
SET LABEL 1 TO TABLE customers;
SET LABEL 2 TO TABLE customers (email);
SET LABEL 3 TO TABLE customers (phone);
CREATE TABLE secrets (s STRING);
`)
	e.resource(t, actx, "proj_a", "", "mask.jar", sluice.KindJar, "jar bytes")
	e.sql(t, actx, "proj_a", `CREATE FUNCTION mask_phone AS 'com.example.MaskPhone' USING 'mask.jar';`)

	if _, err := createPackage(alice, "proj_a", nil, dara.String(`{"name":"crm_share","resourceList":{
		"table":[{"name":"customers","actions":["Describe","Select"]}],
		"resource":[{"name":"mask.jar","actions":["Read"]}],
		"function":[{"name":"mask_phone","actions":["Read","Execute"]}]}}`)); err != nil {
		t.Fatal(err)
	}

	// Not allowed yet: B cannot install it, and nothing is installed.
	_, err := createPackage(bob, "proj_b", dara.Bool(true), dara.String(`{"name":"proj_a.crm_share"}`))
	wantDARAError(t, err, 403, "NoPermission")
	if got := packageNames(t, bob, "proj_b", since); got != "created ; installed " {
		t.Fatalf("B after a refused install: %s", got)
	}

	if _, err := updatePackage(alice, "proj_a", "crm_share", dara.String(`{"add":{"allowedProjectList":[{"project":"proj_b","label":"2"}]}}`)); err != nil {
		t.Fatal(err)
	}
	installed, err := createPackage(bob, "proj_b", dara.Bool(true), dara.String(`{"name":"proj_a.crm_share"}`))
	if err != nil {
		t.Fatal(err)
	}
	if dara.StringValue(installed.Body.Data) != "success" {
		t.Errorf("install = %s", dara.Prettify(installed.Body))
	}
	// C was never allowed.
	_, err = createPackage(bob, "proj_c", dara.Bool(true), dara.String(`{"name":"proj_a.crm_share"}`))
	wantDARAError(t, err, 403, "NoPermission")

	if got := packageNames(t, alice, "proj_a", since); got != "created crm_share; installed " {
		t.Errorf("ListPackages A = %s", got)
	}
	if got := packageNames(t, bob, "proj_b", since); got != "created ; installed proj_a.crm_share(OK)" {
		t.Errorf("ListPackages B = %s", got)
	}
	if got := packageNames(t, bob, "proj_c", since); got != "created ; installed " {
		t.Errorf("ListPackages C = %s", got)
	}
	want := "allowed proj_b:2; table default.customers[describe select]; resource default.mask.jar[read]; function default.mask_phone[read execute]"
	if got := mustPackage(t, alice, "proj_a", "crm_share", ""); got != want {
		t.Errorf("GetPackage from A = %s\nwant %s", got, want)
	}
	if got := mustPackage(t, bob, "proj_b", "crm_share", "proj_a"); got != want {
		t.Errorf("GetPackage from B = %s\nwant %s", got, want)
	}

	// dora, in B only, reads A's table through the package: the columns whose effective label (the greater
	// of the table's 1 and the column's) is at most 2.
	info, err := getTableInfo(dora, "proj_a", "customers", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := columns(info.Body.Data.NativeColumns), "id BIGINT 'key' 0|name STRING '' 0|email STRING '' 2"; got != want {
		t.Errorf("dora's columns = %s, want %s", got, want)
	}
	if d := info.Body.Data; dara.StringValue(d.ProjectName) != "proj_a" || dara.StringValue(d.TableLabel) != "1" ||
		columns(d.PartitionColumns) != "ds STRING '' -" {
		t.Errorf("dora's table = %s", dara.Prettify(d))
	}
	full, err := getTableInfo(alice, "proj_a", "customers", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(full.Body.Data.NativeColumns); got != 4 {
		t.Errorf("alice sees %d columns", got)
	}
	_, err = getTableInfo(dora, "proj_a", "secrets", nil) // not in the package
	wantDARAError(t, err, 403, "NoPermission")

	// Dropping the package takes it from both sides.
	e.sql(t, actx, "proj_a", "DROP PACKAGE crm_share;")
	if got := packageNames(t, alice, "proj_a", since); got != "created ; installed " {
		t.Errorf("ListPackages A after drop = %s", got)
	}
	if got := packageNames(t, bob, "proj_b", since); got != "created ; installed " {
		t.Errorf("ListPackages B after drop = %s", got)
	}
	_, err = getPackage(alice, "proj_a", "crm_share", "")
	wantDARAError(t, err, 404, "NoSuchObject")
	_, err = getPackage(bob, "proj_b", "crm_share", "proj_a") // bob does not read proj_a: it learns nothing of it
	wantDARAError(t, err, 403, "NoPermission")
	_, err = getTableInfo(dora, "proj_a", "customers", nil)
	wantDARAError(t, err, 403, "NoPermission")
}

// The catalogue routes refuse an unknown project and a non-member alike with NoPermission, an unknown object
// with NoSuchObject, and bad paging parameters with InvalidParameter.
func TestCatalog_Refused(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	e.project(t, e.ctx, "kept_dw")
	e.sql(t, e.ctx, "kept_dw", "CREATE TABLE t1 (a BIGINT);")
	bobKey := e.user(t, "bob")
	bob := e.dara(t, bobKey.ID, bobKey.Secret, "")
	q := func(kv ...string) map[string]*string {
		m := map[string]*string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = dara.String(kv[i+1])
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"TablesUnknownProject", func() error { _, err := listTables(c, "no_such_dw", nil); return err }, 403, "NoPermission"},
		{"TableUnknownProject", func() error { _, err := getTableInfo(c, "no_such_dw", "t1", nil); return err }, 403, "NoPermission"},
		{"TableUnknown", func() error { _, err := getTableInfo(c, "kept_dw", "t2", nil); return err }, 404, "NoSuchObject"},
		{"FunctionsUnknownProject", func() error { _, err := listFunctions(c, "no_such_dw", nil); return err }, 403, "NoPermission"},
		{"ResourcesUnknownProject", func() error { _, err := listResources(c, "no_such_dw", nil); return err }, 403, "NoPermission"},
		{"TablesNonMember", func() error { _, err := listTables(bob, "kept_dw", nil); return err }, 403, "NoPermission"},
		{"TableNonMember", func() error { _, err := getTableInfo(bob, "kept_dw", "t1", nil); return err }, 403, "NoPermission"},
		{"FunctionsNonMember", func() error { _, err := listFunctions(bob, "kept_dw", nil); return err }, 403, "NoPermission"},
		{"ResourcesNonMember", func() error { _, err := listResources(bob, "kept_dw", nil); return err }, 403, "NoPermission"},
		{"TablesBadType", func() error { _, err := listTables(c, "kept_dw", q("type", "weird")); return err }, 400, "InvalidParameter"},
		{"TableBadType", func() error { _, err := getTableInfo(c, "kept_dw", "t1", q("type", "weird")); return err }, 400, "InvalidParameter"},
		{"TablesMaxItem", func() error { _, err := listTables(c, "kept_dw", q("maxItem", "1001")); return err }, 400, "InvalidParameter"},
		{"FunctionsMaxItem", func() error { _, err := listFunctions(c, "kept_dw", q("maxItem", "x")); return err }, 400, "InvalidParameter"},
		{"ResourcesMaxItem", func() error { _, err := listResources(c, "kept_dw", q("maxItem", "-2")); return err }, 400, "InvalidParameter"},
		{"TablesMarker", func() error { _, err := listTables(c, "kept_dw", q("marker", "%%")); return err }, 400, "InvalidParameter"},
		{"FunctionsMarker", func() error { _, err := listFunctions(c, "kept_dw", q("marker", "!")); return err }, 400, "InvalidParameter"},
		{"ResourcesMarker", func() error { _, err := listResources(c, "kept_dw", q("marker", "*")); return err }, 400, "InvalidParameter"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantDARAError(t, tc.call(), tc.status, tc.code) })
	}
}

// The old SDK's CommonRequest reaches the package APIs with the legacy ROA signature.
func TestPackages_OldSDK(t *testing.T) {
	e := newEnv(t)
	c := e.oldClient(t, e.root.ID, e.root.Secret)
	e.project(t, e.ctx, "old_src")
	e.sql(t, e.ctx, "old_src", "CREATE TABLE t1 (a BIGINT);")

	req := e.oldRequest("POST", "CreatePackage", "/api/v1/projects/[projectName]/packages")
	req.PathParams["projectName"] = "old_src"
	req.SetContent([]byte(`{"name":"old_pkg","resourceList":{"table":[{"name":"t1","actions":["Describe"]}]}}`))
	req.SetContentType("application/json")
	if _, err := c.ProcessCommonRequest(req); err != nil {
		t.Fatal(err)
	}
	req = e.oldRequest("GET", "GetPackage", "/api/v1/projects/[projectName]/packages/[packageName]")
	req.PathParams["projectName"], req.PathParams["packageName"] = "old_src", "old_pkg"
	resp, err := c.ProcessCommonRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	var got GetPackageResponseBody
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &got); err != nil {
		t.Fatal(err)
	}
	if v := pkgView(got.Data); v != "allowed ; table default.t1[describe]; resource ; function " {
		t.Errorf("GetPackage = %s", v)
	}
	req = e.oldRequest("GET", "GetPackage", "/api/v1/projects/[projectName]/packages/[packageName]")
	req.PathParams["projectName"], req.PathParams["packageName"] = "old_src", "nothing"
	_, err = c.ProcessCommonRequest(req)
	wantOldError(t, err, 404, "NoSuchObject")
}

func TestWireType(t *testing.T) {
	for in, want := range map[string]string{
		"bigint":                            "BIGINT",
		"decimal(10,2)":                     "DECIMAL(10,2)",
		"array<struct<k:string,v:bigint>>":  "ARRAY<STRUCT<k:STRING,v:BIGINT>>",
		"map<string,array<bigint>>":         "MAP<STRING,ARRAY<BIGINT>>",
		"struct<`Odd Name`:string, n :int>": "STRUCT<`Odd Name`:STRING, n :INT>",
		"struct<string:string>":             "STRUCT<string:STRING>",
		"varchar(20)":                       "VARCHAR(20)",
		"struct<a:struct<b:timestamp_ntz>>": "STRUCT<a:STRUCT<b:TIMESTAMP_NTZ>>",
		"struct<`unterminated:string":       "STRUCT<`unterminated:string",
		"":                                  "",
	} {
		if got := wireType(in); got != want {
			t.Errorf("wireType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateDDL(t *testing.T) {
	tb := &sluice.CatalogTable{Name: "t", Kind: sluice.KindTable, Described: true, Comment: `it's a "t" \ here`,
		Columns: []sluice.Column{{Name: "a", Type: "string", Comment: "line\nbreak"}}}
	if got, want := createDDL(tb), `CREATE TABLE IF NOT EXISTS t (a STRING COMMENT 'line\nbreak') COMMENT 'it\'s a "t" \\ here';`; got != want {
		t.Errorf("createDDL = %s\nwant %s", got, want)
	}
	if got := createDDL(&sluice.CatalogTable{Name: "lineage_only", Kind: sluice.KindTable}); got != "" {
		t.Errorf("an undescribed table's DDL = %q", got)
	}
	if got, want := createDDL(&sluice.CatalogTable{Name: "v", Kind: sluice.KindView, ViewText: "select 1;\n"}), "CREATE VIEW IF NOT EXISTS v AS select 1;"; got != want {
		t.Errorf("view DDL = %q, want %q", got, want)
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]int{`"0"`: 0, `"9"`: 9, `4`: 4, `" 3 "`: 3, `null`: 0} {
		var l label
		if err := json.Unmarshal([]byte(in), &l); err != nil || int(l) != want {
			t.Errorf("label %s = %d, %v; want %d", in, l, err, want)
		}
	}
	for _, in := range []string{`"10"`, `10`, `-1`, `"x"`, `2.5`, `true`, `[]`, `{}`, `""`} {
		var l label
		err := json.Unmarshal([]byte(in), &l)
		if sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("label %s: %v, want EINVALID", in, err)
		}
	}
	var absent allowEntry
	if err := json.Unmarshal([]byte(`{"project":"p"}`), &absent); err != nil || absent.Label != 0 {
		t.Errorf("absent label = %d, %v", absent.Label, err)
	}
}

// stubCatalog and stubResources stand in for the services where only the route table is looked at.
type stubCatalog struct{ sluice.CatalogService }
type stubResources struct{ sluice.ResourceService }

func TestRouteMatch_Catalog(t *testing.T) {
	h := New(Services{Catalog: stubCatalog{}, Resources: stubResources{}}, nil).(*handler)
	for _, tc := range []struct{ method, path, action, project, object string }{
		{"GET", "/api/v1/projects/p1/tables", "ListTables", "p1", ""},
		{"GET", "/api/v1/projects/p1/tables/t1", "GetTableInfo", "p1", "t1"},
		{"GET", "/api/v1/projects/p1/functions", "ListFunctions", "p1", ""},
		{"GET", "/api/v1/projects/p1/resources", "ListResources", "p1", ""},
		{"GET", "/api/v1/projects/p1/packages", "ListPackages", "p1", ""},
		{"POST", "/api/v1/projects/p1/packages", "CreatePackage", "p1", ""},
		{"GET", "/api/v1/projects/p1/packages/a%20b%2A~", "GetPackage", "p1", "a b*~"},
		{"PUT", "/api/v1/projects/p1/packages/pkg", "UpdatePackage", "p1", "pkg"},
		{"DELETE", "/api/v1/projects/p1/packages/pkg", "", "", ""},
		{"POST", "/api/v1/projects/p1/tables", "", "", ""},
		{"GET", "/api/v1/projects/p1/tables/t1/partitions", "", "", ""},
		{"GET", "/api/v1/projects/p1/packages/", "", "", ""},
	} {
		rt, params := h.find(httptest.NewRequest(tc.method, tc.path, nil))
		action := ""
		if rt != nil {
			action = rt.action
		}
		object := params["tableName"] + params["packageName"]
		if action != tc.action || params["projectName"] != tc.project || object != tc.object {
			t.Errorf("%s %s = %q %v, want %q %q %q", tc.method, tc.path, action, params, tc.action, tc.project, tc.object)
		}
	}
	// Without the services, their routes are unknown.
	bare := New(Services{}, nil).(*handler)
	if rt, _ := bare.find(httptest.NewRequest("GET", "/api/v1/projects/p1/packages", nil)); rt != nil {
		t.Errorf("ListPackages routed without a catalogue: %s", rt.action)
	}
	if rt, _ := bare.find(httptest.NewRequest("GET", "/api/v1/projects/p1/resources", nil)); rt != nil {
		t.Errorf("ListResources routed without a resource centre: %s", rt.action)
	}
}
