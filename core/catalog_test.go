package core_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sluice-dev/sluice"
)

// catalogFixture: project src (alice owner, dave developer, vera viewer) with a resource, and project dst
// owned by bob, whose member carl is in dst only.
type catalogFixture struct {
	*resourceFixture
	alice, dave, vera, bob, carl context.Context
	src, dst                     sluice.ProjectRef
}

func newCatalogFixture(t testing.TB) *catalogFixture {
	t.Helper()
	x := newResourceFixture(t)
	c := &catalogFixture{resourceFixture: x, alice: as(x.owner), dave: x.dev, vera: x.viewer, src: x.ref, dst: sluice.ProjectByName("dst_proj")}
	root := as(x.root)
	for _, name := range []string{"bob", "carl"} {
		u, err := x.s.CreateUser(root, name, "")
		if err != nil {
			t.Fatal(err)
		}
		if name == "bob" {
			c.bob = as(u)
		} else {
			c.carl = as(u)
		}
	}
	if _, err := x.s.CreateProject(c.bob, sluice.ProjectCreate{Name: "dst_proj"}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.s.PutMember(c.bob, c.dst, "carl", sluice.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if _, err := x.s.PutResource(c.dave, c.src, sluice.Resource{Name: "udf.jar", Kind: sluice.KindJar, Size: 3}, strings.NewReader("jar")); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *catalogFixture) sql(t *testing.T, ctx context.Context, ref sluice.ProjectRef, script string) []*sluice.SQLResult {
	t.Helper()
	res, err := c.s.RunSQL(ctx, ref, script)
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return res
}

func (c *catalogFixture) sqlErr(t *testing.T, ctx context.Context, ref sluice.ProjectRef, script, code string) error {
	t.Helper()
	_, err := c.s.RunSQL(ctx, ref, script)
	if sluice.ErrorCode(err) != code {
		t.Fatalf("%s: error = %v, want code %s", script, err, code)
	}
	return err
}

const salesDDL = `
set odps.sql.type.system.odps2=true;
CREATE TABLE IF NOT EXISTS sales (
  id BIGINT COMMENT 'order id',
  buyer STRING COMMENT 'buyer name',
  phone STRING COMMENT 'contact',
  amount DECIMAL(10,2)
) COMMENT 'orders' PARTITIONED BY (ds STRING COMMENT 'day') LIFECYCLE 30;
CREATE VIEW sales_v AS SELECT id, amount FROM sales;
CREATE FUNCTION my_lower AS 'com.example.Lower' USING 'udf.jar';
SET LABEL 3 TO TABLE sales (phone);
SET LABEL 1 TO TABLE sales;
`

func TestCatalog_DDL(t *testing.T) {
	c := newCatalogFixture(t)
	s := c.s
	res := c.sql(t, c.alice, c.src, salesDDL)
	if len(res) != 6 || res[1].Message != "OK" || res[1].Line != 3 || !strings.HasPrefix(res[1].Text, "CREATE TABLE") {
		t.Fatalf("results = %+v", res[1])
	}
	tb, err := s.FindCatalogTable(c.vera, c.src, "", "SALES")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Kind != sluice.KindTable || !tb.Described || tb.Comment != "orders" || tb.Lifecycle != 30 || tb.Owner != "alice" || tb.Label != 1 ||
		len(tb.Columns) != 4 || tb.Columns[3].Type != "decimal(10,2)" || tb.Columns[2].Label != 3 || len(tb.PartitionColumns) != 1 ||
		tb.PartitionColumns[0].Name != "ds" {
		t.Fatalf("table = %+v", tb)
	}

	t.Run("Alter", func(t *testing.T) {
		c.sql(t, c.dave, c.src, `ALTER TABLE sales ADD COLUMNS (region STRING COMMENT 'r'); ALTER TABLE sales ADD COLUMNS IF NOT EXISTS (region STRING, id BIGINT);
			ALTER TABLE sales SET COMMENT 'all orders'; ALTER TABLE sales SET LIFECYCLE 90;
			ALTER TABLE sales CHANGE COLUMN buyer COMMENT 'who'; ALTER TABLE sales CHANGE COLUMN region RENAME TO area;
			CREATE TABLE t2 LIKE sales; ALTER TABLE t2 RENAME TO t3; ALTER TABLE t3 DROP COLUMNS area`)
		tb, _ := s.FindCatalogTable(c.vera, c.src, "", "sales")
		if tb.Comment != "all orders" || tb.Lifecycle != 90 || len(tb.Columns) != 5 || tb.Columns[1].Comment != "who" || tb.Columns[4].Name != "area" {
			t.Fatalf("altered = %+v", tb)
		}
		t3, err := s.FindCatalogTable(c.vera, c.src, "", "t3")
		if err != nil || len(t3.Columns) != 4 || t3.Columns[2].Label != 0 || len(t3.PartitionColumns) != 1 || t3.Lifecycle != 0 {
			t.Fatalf("t3 = %+v, %v", t3, err)
		}
		_, err = s.FindCatalogTable(c.vera, c.src, "", "t2")
		wantCode(t, err, sluice.ENOTFOUND)
	})
	t.Run("Show", func(t *testing.T) {
		res := c.sql(t, c.vera, c.src, "show tables; show tables like 'sal*'; show views; show functions; show resources; desc sales; desc function my_lower; desc resource udf.jar")
		names := func(ts []*sluice.CatalogTable) (out []string) {
			for _, t := range ts {
				out = append(out, t.Name)
			}
			return out
		}
		if got := names(res[0].Tables); !slices.Equal(got, []string{"sales", "sales_v", "t3"}) {
			t.Fatalf("show tables = %v", got)
		}
		if got := names(res[1].Tables); !slices.Equal(got, []string{"sales", "sales_v"}) {
			t.Fatalf("show tables like = %v", got)
		}
		if got := names(res[2].Tables); !slices.Equal(got, []string{"sales_v"}) {
			t.Fatalf("show views = %v", got)
		}
		if len(res[3].Functions) != 1 || res[3].Functions[0].Class != "com.example.Lower" || len(res[4].Resources) != 1 {
			t.Fatalf("functions/resources = %+v %+v", res[3], res[4])
		}
		if res[5].Kind != sluice.ResultTable || res[5].Table.Name != "sales" || res[6].Function.Name != "my_lower" || res[7].Resource.Name != "udf.jar" {
			t.Fatalf("describe = %+v %+v %+v", res[5], res[6], res[7])
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		before, _ := s.FindTables(c.vera, c.src, sluice.TableFilter{})
		for _, tc := range []struct{ script, code, msg string }{
			{"create table sales (a bigint)", sluice.ECONFLICT, "already exists"},
			{"create table x (a bigint, A string)", sluice.EINVALID, "two columns"},
			{"create table x (a bigint) partitioned by (p double)", sluice.EINVALID, "Partition column"},
			{"create table x (a bigint) lifecycle 0", sluice.EINVALID, "lifecycle"},
			{"drop table nope", sluice.ENOTFOUND, "does not exist"},
			{"drop view sales", sluice.EINVALID, "not a view"},
			{"alter table sales drop columns ds", sluice.EINVALID, "partition column"},
			{"set label 10 to table sales", sluice.EINVALID, "label"},
			{"set label 2 to table sales (ds)", sluice.EINVALID, "partition"},
			{"create function f2 as 'C' using 'missing.jar'", sluice.ENOTFOUND, "missing.jar"},
			{"create function my_lower as 'C' using 'udf.jar'", sluice.ECONFLICT, "already exists"},
			{"create table x (a bigint);\ncreate table y (b bigint);\nselect * from sales", sluice.EINVALID, "line 3"},
			{"create table x (a bigint);\ncreate table y (b bigint);\ndrop table nope", sluice.ENOTFOUND, "Statement 3 (line 3, column 1)"},
			{"create table nope_proj.x (a bigint)", sluice.EFORBIDDEN, "no access"},
		} {
			err := c.sqlErr(t, c.alice, c.src, tc.script, tc.code)
			if !strings.Contains(sluice.ErrorMessage(err), tc.msg) {
				t.Errorf("%s: message %q lacks %q", tc.script, sluice.ErrorMessage(err), tc.msg)
			}
		}
		after, _ := s.FindTables(c.vera, c.src, sluice.TableFilter{})
		if len(after) != len(before) {
			t.Fatalf("a failed script changed the catalogue: %d tables, then %d", len(before), len(after))
		}
	})
	t.Run("ErrRoles", func(t *testing.T) {
		c.sqlErr(t, c.vera, c.src, "create table v1 (a bigint)", sluice.EFORBIDDEN)
		c.sqlErr(t, c.dave, c.src, "set label 2 to table sales", sluice.EFORBIDDEN)
		c.sqlErr(t, c.dave, c.src, "create package p_dev", sluice.EFORBIDDEN)
		c.sqlErr(t, c.carl, c.src, "show tables", sluice.EFORBIDDEN)
		_, err := s.FindTables(c.carl, c.src, sluice.TableFilter{})
		wantCode(t, err, sluice.EFORBIDDEN)
	})
}

func TestCatalog_Packages(t *testing.T) {
	c := newCatalogFixture(t)
	s := c.s
	c.sql(t, c.alice, c.src, salesDDL)
	c.sql(t, c.alice, c.src, `create package pk;
		add table sales to package pk with privileges describe, SELECT;
		add resource udf.jar to package pk;
		add function my_lower to package pk with privileges Read;
		allow project dst_proj to install package pk using label 2`)

	pkg, err := s.FindPackage(c.vera, c.src, "PK", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Objects) != 3 || len(pkg.Allowed) != 1 || pkg.Allowed[0].Project != "dst_proj" || pkg.Allowed[0].Label != 2 {
		t.Fatalf("package = %+v", pkg)
	}
	for _, o := range pkg.Objects {
		if o.Type == sluice.ObjectTable && !slices.Equal(o.Actions, []string{"describe", "select"}) {
			t.Fatalf("table actions = %v", o.Actions)
		}
	}

	t.Run("ErrNotInstalled", func(t *testing.T) {
		_, err := s.FindCatalogTable(c.carl, c.src, "", "sales")
		wantCode(t, err, sluice.EFORBIDDEN)
		_, err = s.FindPackage(c.carl, c.dst, "pk", "dw_proj") // carl may not read dw_proj: it learns nothing of it
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ErrInstall", func(t *testing.T) {
		c.sqlErr(t, c.carl, c.dst, "install package dw_proj.pk", sluice.EFORBIDDEN) // a viewer of dst
		c.sql(t, c.alice, c.src, "create package other")
		c.sqlErr(t, c.bob, c.dst, "install package dw_proj.other", sluice.EFORBIDDEN) // not allowed
		// Not allowed, or no such package: bob, who may not read dw_proj, is told the same.
		if a, b := c.sqlErr(t, c.bob, c.dst, "install package dw_proj.other", sluice.EFORBIDDEN), c.sqlErr(t, c.bob, c.dst, "install package dw_proj.nope", sluice.EFORBIDDEN); a.Error() != b.Error() {
			t.Errorf("not allowed: %v; missing: %v", a, b)
		}
		c.sqlErr(t, c.alice, c.src, "install package dw_proj.pk", sluice.EINVALID) // its own project
	})

	in, err := s.InstallPackage(c.bob, c.dst, "dw_proj", "pk")
	if err != nil || in.Status != sluice.InstallOK || in.SourceProject != "dw_proj" {
		t.Fatalf("install = %+v, %v", in, err)
	}
	c.sqlErr(t, c.bob, c.dst, "install package dw_proj.pk", sluice.ECONFLICT)

	t.Run("Listings", func(t *testing.T) {
		l, err := s.FindPackages(c.vera, c.src)
		if err != nil || len(l.Created) != 2 || len(l.Installed) != 0 {
			t.Fatalf("source listing = %+v, %v", l, err)
		}
		l, err = s.FindPackages(c.carl, c.dst)
		if err != nil || len(l.Created) != 0 || len(l.Installed) != 1 || l.Installed[0].Package != "pk" || l.Installed[0].InstalledAt.IsZero() {
			t.Fatalf("consumer listing = %+v, %v", l, err)
		}
		p, err := s.FindPackage(c.carl, c.dst, "pk", "dw_proj")
		if err != nil || len(p.Objects) != 3 || len(p.Allowed) != 1 {
			t.Fatalf("consumer view = %+v, %v", p, err)
		}
	})
	t.Run("SharedTable", func(t *testing.T) {
		tb, err := s.FindCatalogTable(c.carl, c.src, "", "sales")
		if err != nil {
			t.Fatal(err)
		}
		// Table label 1; phone has 3: above the package's 2, so carl does not see it.
		var cols []string
		for _, col := range tb.Columns {
			cols = append(cols, col.Name)
		}
		if !slices.Equal(cols, []string{"id", "buyer", "amount"}) || len(tb.PartitionColumns) != 1 {
			t.Fatalf("consumer columns = %v %+v", cols, tb.PartitionColumns)
		}
		res := c.sql(t, c.carl, c.dst, "desc dw_proj.sales; desc function dw_proj.my_lower; desc resource dw_proj:udf.jar")
		if len(res[0].Table.Columns) != 3 {
			t.Fatalf("DESC through the package = %+v", res[0].Table.Columns)
		}
		c.sqlErr(t, c.bob, c.dst, "alter table dw_proj.sales set comment 'x'", sluice.EFORBIDDEN)
		c.sqlErr(t, c.bob, c.dst, "drop table dw_proj.sales", sluice.EFORBIDDEN)
		c.sqlErr(t, c.carl, c.dst, "desc dw_proj.sales_v", sluice.EFORBIDDEN) // not in the package
		// A member of src sees every column.
		tb, _ = s.FindCatalogTable(c.vera, c.src, "", "sales")
		if len(tb.Columns) != 4 {
			t.Fatalf("member columns = %d", len(tb.Columns))
		}
		// Relabelling the allow-list takes effect at once.
		c.sql(t, c.alice, c.src, "allow project dst_proj to install package pk using label 3")
		if tb, _ = s.FindCatalogTable(c.carl, c.src, "", "sales"); len(tb.Columns) != 4 {
			t.Fatalf("columns at label 3 = %d", len(tb.Columns))
		}
	})
	t.Run("Update", func(t *testing.T) {
		p, err := s.UpdatePackage(c.alice, c.src, "pk", sluice.PackageUpdate{
			RemoveObjects: []sluice.PackageObject{{Type: sluice.ObjectTable, Name: "sales"}},
			AddObjects:    []sluice.PackageObject{{Type: sluice.ObjectTable, Name: "SALES", Actions: []string{"Describe"}}, {Type: "table", Name: "sales_v"}},
		})
		if err != nil || len(p.Objects) != 4 {
			t.Fatalf("update = %+v, %v", p, err)
		}
		before, _ := s.FindPackage(c.alice, c.src, "pk", "")
		for _, u := range []sluice.PackageUpdate{
			{AddObjects: []sluice.PackageObject{{Type: "table", Name: "sales_v", Actions: []string{"describe"}}}},
			{AddObjects: []sluice.PackageObject{{Type: "table", Name: "nope"}}},
			{AddObjects: []sluice.PackageObject{{Type: "table", Name: "t9"}, {Type: "view", Name: "sales"}}},
			{AddObjects: []sluice.PackageObject{{Type: "resource", Name: "udf.jar", Actions: []string{"select"}}}},
			{Allow: []sluice.PackageAllow{{Project: "dst_proj", Label: 10}}},
			{Allow: []sluice.PackageAllow{{Project: "nope_proj"}}},
			{Disallow: []string{"dw_proj"}},
			{RemoveObjects: []sluice.PackageObject{{Type: "function", Name: "nope"}}, Allow: []sluice.PackageAllow{{Project: "dst_proj", Label: 9}}},
		} {
			if _, err := s.UpdatePackage(c.alice, c.src, "pk", u); err == nil || sluice.ErrorCode(err) == sluice.EINTERNAL {
				t.Errorf("update %+v: err = %v", u, err)
			}
		}
		after, _ := s.FindPackage(c.alice, c.src, "pk", "")
		if len(after.Objects) != len(before.Objects) || after.Allowed[0].Label != before.Allowed[0].Label {
			t.Fatalf("a refused update changed the package: %+v -> %+v", before, after)
		}
		_, err = s.UpdatePackage(c.dave, c.src, "pk", sluice.PackageUpdate{Disallow: []string{"dst_proj"}})
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ResourceDeleted", func(t *testing.T) {
		c.sql(t, c.alice, c.src, "create package res_pkg; add resource udf.jar to package res_pkg")
		if err := s.DeleteResource(c.dave, c.src, "", "udf.jar"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"res_pkg", "pk"} {
			p, err := s.FindPackage(c.alice, c.src, name, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range p.Objects {
				if o.Type == sluice.ObjectResource {
					t.Fatalf("package %s still holds the deleted resource: %+v", name, p.Objects)
				}
			}
		}
	})
	t.Run("Cascade", func(t *testing.T) {
		c.sql(t, c.alice, c.src, "disallow project dst_proj to install package pk")
		if l, _ := s.FindPackages(c.bob, c.dst); len(l.Installed) != 0 {
			t.Fatalf("disallow left the installation: %+v", l.Installed)
		}
		_, err := s.FindCatalogTable(c.carl, c.src, "", "sales")
		wantCode(t, err, sluice.EFORBIDDEN)
		c.sql(t, c.alice, c.src, "allow project dst_proj to install package pk")
		c.sql(t, c.bob, c.dst, "install package dw_proj.pk")
		c.sql(t, c.alice, c.src, "drop package pk")
		if l, _ := s.FindPackages(c.bob, c.dst); len(l.Installed) != 0 {
			t.Fatalf("drop left the installation: %+v", l.Installed)
		}
		_, err = s.FindPackage(c.alice, c.src, "pk", "")
		wantCode(t, err, sluice.ENOTFOUND)
	})
	t.Run("CachedListingFollowsTheSource", func(t *testing.T) {
		c.sql(t, c.alice, c.src, "create package pk2; allow project dst_proj to install package pk2")
		c.sql(t, c.bob, c.dst, "install package dw_proj.pk2")
		for range 2 { // the second read is the cached listing
			if l, _ := s.FindPackages(c.carl, c.dst); len(l.Installed) != 1 {
				t.Fatalf("installed = %+v", l.Installed)
			}
		}
		if err := s.DeleteProject(c.alice, c.src); err != nil {
			t.Fatal(err)
		}
		if l, err := s.FindPackages(c.carl, c.dst); err != nil || len(l.Installed) != 0 {
			t.Fatalf("after the source project's deletion: %+v, %v", l, err)
		}
	})
}

// TestCatalog_ConcurrentPackageChanges: writers adding objects to one package at once each see the others'
// acknowledged objects, on the one transaction and lock the store gives a project.
func TestCatalog_ConcurrentPackageChanges(t *testing.T) {
	c := newCatalogFixture(t)
	var ddl strings.Builder
	for i := range 8 {
		ddl.WriteString("create table t" + string(rune('a'+i)) + " (a bigint);")
	}
	ddl.WriteString("create package pk")
	c.sql(t, c.alice, c.src, ddl.String())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.s.RunSQL(c.alice, c.src, "add table t"+string(rune('a'+i))+" to package pk")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := c.s.FindPackage(c.alice, c.src, "pk", "")
	if err != nil || len(p.Objects) != 8 {
		t.Fatalf("package after concurrent adds = %+v, %v", p, err)
	}
}
