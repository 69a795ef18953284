package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// catalogTime is the pinned time of the catalogue tests: every write of one transaction carries its time.
var catalogTime = time.Date(2026, 12, 2, 8, 30, 0, 123_000_000, time.UTC)

// testCatalog runs the catalogue and package cases.
func testCatalog(t *testing.T, open Open) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"Tables", testCatalogTables},
		{"TablePaging", testCatalogTablePaging},
		{"Functions", testCatalogFunctions},
		{"ResourcesNamed", testCatalogResourcesNamed},
		{"Packages", testCatalogPackages},
		{"Installs", testCatalogInstalls},
		{"Grants", testCatalogGrants},
		{"ProjectDeletion", testCatalogProjectDeletion},
		{"Lineage", testCatalogLineage},
		{"Rollback", testCatalogRollback},
		{"Concurrent", testCatalogConcurrent},
		{"ConcurrentColdReads", testCatalogConcurrentColdReads},
		{"ListingVersions", testCatalogListingVersions},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// openCatalog opens a fresh store, its clock at the pinned time, with an owner.
func openCatalog(t *testing.T, open Open) (Store, *Clock, *sluice.User) {
	t.Helper()
	db, clock := newStore(t, open)
	clock.Set(catalogTime)
	return db, clock, Seed(t, db, "alice", sluice.UserMember)
}

func update(t testing.TB, db sluice.CatalogStore, ids []int64, fn func(tx sluice.CatalogTx) error) {
	t.Helper()
	must(t, db.UpdateCatalog(context.Background(), ids, fn))
}

func read(t testing.TB, db sluice.CatalogStore, fn func(tx sluice.CatalogTx) error) {
	t.Helper()
	must(t, db.ReadCatalog(context.Background(), fn))
}

func findTable(t testing.TB, db sluice.CatalogStore, projectID int64, schema, name string) (*sluice.CatalogTable, error) {
	t.Helper()
	var tbl *sluice.CatalogTable
	err := db.ReadCatalog(context.Background(), func(tx sluice.CatalogTx) error {
		var err error
		tbl, err = tx.FindTable(context.Background(), projectID, schema, name)
		return err
	})
	return tbl, err
}

func findTables(t testing.TB, db sluice.CatalogStore, f sluice.TableFilter) []*sluice.CatalogTable {
	t.Helper()
	var ts []*sluice.CatalogTable
	read(t, db, func(tx sluice.CatalogTx) error {
		var err error
		ts, err = tx.FindTables(context.Background(), f)
		return err
	})
	return ts
}

func tableNames(ts []*sluice.CatalogTable) []string {
	names := []string{}
	for _, t := range ts {
		names = append(names, t.Schema+"."+t.Name)
	}
	return names
}

func findPackage(t testing.TB, db sluice.CatalogStore, projectID int64, name string) (*sluice.Package, error) {
	t.Helper()
	var p *sluice.Package
	err := db.ReadCatalog(context.Background(), func(tx sluice.CatalogTx) error {
		var err error
		p, err = tx.FindPackage(context.Background(), projectID, name)
		return err
	})
	return p, err
}

func objectNames(os []sluice.PackageObject) []string {
	names := []string{}
	for _, o := range os {
		names = append(names, string(o.Type)+" "+o.Schema+"."+o.Name)
	}
	return names
}

func table(projectID int64, schema, name string, kind sluice.TableKind) *sluice.CatalogTable {
	return &sluice.CatalogTable{ProjectID: projectID, Schema: schema, Name: name, Kind: kind, Described: true,
		Columns: []sluice.Column{{Name: "id", Type: "bigint"}}}
}

// testCatalogTables: a table round-trips whole; a replacement keeps its id and creation time; a delete of what
// is not there is ENOTFOUND; a read-only transaction writes nothing.
func testCatalogTables(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock, alice := openCatalog(t, open)
	p := NewProject(t, db, "sales", alice)

	_, err := findTable(t, db, p.ID, sluice.DefaultSchema, "orders")
	wantCode(t, err, sluice.ENOTFOUND)
	in := &sluice.CatalogTable{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "orders", Kind: sluice.KindTable, Described: true,
		Columns: []sluice.Column{
			{Name: "id", Type: "bigint", Comment: "order id"},
			{Name: "phone", Type: "string", Comment: "客户电话", Label: 3},
			{Name: "amount", Type: "decimal(10,2)"},
			{Name: "tags", Type: "array<struct<a:int,b:string>>", Label: 9},
			{Name: "note", Type: "string", Comment: `say "hi" <b> & \ back` + "\n\tsecond line"},
		},
		PartitionColumns: []sluice.Column{{Name: "ds", Type: "string", Comment: "day"}, {Name: "region", Type: "string"}},
		Comment:          "orders, one row each", Lifecycle: 30, Owner: "ALIYUN$alice", Label: 2}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.PutTable(ctx, in) })
	if in.ID == 0 || !in.CreatedAt.Equal(catalogTime) || !in.UpdatedAt.Equal(catalogTime) {
		t.Fatalf("put = id %d, created %v, updated %v", in.ID, in.CreatedAt, in.UpdatedAt)
	}
	got, err := findTable(t, db, p.ID, sluice.DefaultSchema, "orders")
	must(t, err)
	want := *in
	want.Project = "sales"
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("read back:\n got %+v\nwant %+v", got, &want)
	}

	// A view without columns of its own; lists come back empty, not nil.
	view := &sluice.CatalogTable{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "big_orders", Kind: sluice.KindView, Described: true,
		ViewText: "SELECT * FROM orders WHERE amount > 100"}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.PutTable(ctx, view) })
	got, err = findTable(t, db, p.ID, sluice.DefaultSchema, "big_orders")
	must(t, err)
	if got.Kind != sluice.KindView || got.ViewText != view.ViewText || got.Columns == nil || len(got.Columns) != 0 || got.PartitionColumns == nil {
		t.Fatalf("view = %+v", got)
	}

	// Replaced later: same id and creation time, everything else new.
	later := catalogTime.Add(time.Hour)
	clock.Set(later)
	repl := &sluice.CatalogTable{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "orders", Kind: sluice.KindTable, Described: true,
		Columns: []sluice.Column{{Name: "id", Type: "bigint"}}, Owner: "bob", Label: 0}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.PutTable(ctx, repl) })
	if repl.ID != in.ID || !repl.CreatedAt.Equal(catalogTime) || !repl.UpdatedAt.Equal(later) {
		t.Fatalf("replaced = id %d (was %d), created %v, updated %v", repl.ID, in.ID, repl.CreatedAt, repl.UpdatedAt)
	}
	got, err = findTable(t, db, p.ID, sluice.DefaultSchema, "orders")
	must(t, err)
	if len(got.Columns) != 1 || len(got.PartitionColumns) != 0 || got.Owner != "bob" || got.Label != 0 || got.Comment != "" ||
		got.Lifecycle != 0 || !got.CreatedAt.Equal(catalogTime) || !got.UpdatedAt.Equal(later) {
		t.Fatalf("after replace = %+v", got)
	}
	// Names are compared as given: another schema or case is another table.
	if _, err := findTable(t, db, p.ID, "other", "orders"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("another schema: %v", err)
	}
	if _, err := findTable(t, db, p.ID, sluice.DefaultSchema, "ORDERS"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("another case: %v", err)
	}

	// A project that is not there is ENOTFOUND, and the transaction goes on (on PostgreSQL a failed statement
	// would end it).
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		wantCode(t, tx.PutTable(ctx, table(p.ID+1000, sluice.DefaultSchema, "x", sluice.KindTable)), sluice.ENOTFOUND)
		return tx.PutTable(ctx, table(p.ID, sluice.DefaultSchema, "after_refusal", sluice.KindTable))
	})
	if _, err := findTable(t, db, p.ID, sluice.DefaultSchema, "after_refusal"); err != nil {
		t.Fatalf("the change after a refusal: %v", err)
	}

	// A read-only transaction refuses a change.
	err = db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
		return tx.PutTable(ctx, table(p.ID, sluice.DefaultSchema, "sneaky", sluice.KindTable))
	})
	if err == nil {
		t.Fatal("a read-only transaction took a change")
	}
	if _, err := findTable(t, db, p.ID, sluice.DefaultSchema, "sneaky"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("the refused change is there: %v", err)
	}

	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.DeleteTable(ctx, p.ID, sluice.DefaultSchema, "orders") })
	_, err = findTable(t, db, p.ID, sluice.DefaultSchema, "orders")
	wantCode(t, err, sluice.ENOTFOUND)
	err = db.UpdateCatalog(ctx, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		return tx.DeleteTable(ctx, p.ID, sluice.DefaultSchema, "orders")
	})
	wantCode(t, err, sluice.ENOTFOUND)
}

// testCatalogTablePaging: tables come by schema and name in byte order; marker paging walks every table once;
// the prefix is literal; kinds and schemas filter.
func testCatalogTablePaging(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "sales", alice)
	q := NewProject(t, db, "other", alice)
	names := []string{"a", "a_1", "a_2", "ab", "b", "a%x", "B_up", "é1", "ê", "z\U0010FFFFa", "zz", "a\U0010FFFF"}
	views := []string{"v1", "a_view"}
	update(t, db, []int64{p.ID, q.ID}, func(tx sluice.CatalogTx) error {
		for _, n := range names {
			if err := tx.PutTable(ctx, table(p.ID, sluice.DefaultSchema, n, sluice.KindTable)); err != nil {
				return err
			}
		}
		for _, n := range views {
			if err := tx.PutTable(ctx, table(p.ID, sluice.DefaultSchema, n, sluice.KindView)); err != nil {
				return err
			}
		}
		for _, n := range []string{"y", "x"} {
			if err := tx.PutTable(ctx, table(p.ID, "s2", n, sluice.KindTable)); err != nil {
				return err
			}
		}
		return tx.PutTable(ctx, table(q.ID, sluice.DefaultSchema, "a", sluice.KindTable))
	})

	all := append(append([]string{}, names...), views...)
	slices.Sort(all) // Go compares strings by bytes, as both databases do here
	want := []string{}
	for _, n := range all {
		want = append(want, "default."+n)
	}
	got := tableNames(findTables(t, db, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema}))
	if !slices.Equal(got, want) {
		t.Fatalf("default schema:\n got %q\nwant %q", got, want)
	}
	// No schema: by schema, then name.
	got = tableNames(findTables(t, db, sluice.TableFilter{ProjectID: p.ID}))
	if !slices.Equal(got, append(want, "s2.x", "s2.y")) {
		t.Fatalf("every schema = %q", got)
	}
	if got := tableNames(findTables(t, db, sluice.TableFilter{ProjectID: p.ID, Schema: "s2", Limit: 1})); !slices.Equal(got, []string{"s2.x"}) {
		t.Fatalf("s2, one = %q", got)
	}
	if got := findTables(t, db, sluice.TableFilter{ProjectID: p.ID, Schema: "none"}); len(got) != 0 {
		t.Fatalf("a schema without tables = %q", tableNames(got))
	}
	if got := tableNames(findTables(t, db, sluice.TableFilter{ProjectID: q.ID})); !slices.Equal(got, []string{"default.a"}) {
		t.Fatalf("the other project = %q", got)
	}

	// Marker paging over the default schema, 3 at a time: each table once, in order.
	var seen []string
	after := ""
	for {
		page := findTables(t, db, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, After: after, Limit: 3})
		seen = append(seen, tableNames(page)...)
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].Name
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("paged:\n got %q\nwant %q", seen, want)
	}

	prefixed := func(prefix string, kind sluice.TableKind, after string) []string {
		t.Helper()
		ns := []string{}
		for _, tbl := range findTables(t, db, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, Prefix: prefix, Kind: kind, After: after}) {
			ns = append(ns, tbl.Name)
		}
		return ns
	}
	for _, tc := range []struct {
		prefix string
		kind   sluice.TableKind
		after  string
		want   []string
	}{
		{"a_", "", "", []string{"a_1", "a_2", "a_view"}}, // '_' is no wildcard
		{"a%", "", "", []string{"a%x"}},                  // nor is '%'
		{"a", "", "", []string{"a", "a%x", "a_1", "a_2", "a_view", "ab", "a\U0010FFFF"}},
		{"a", "", "a_2", []string{"a_view", "ab", "a\U0010FFFF"}},
		{"A", "", "", []string{}}, // case counts
		{"b", "", "", []string{"b"}},
		{"é", "", "", []string{"é1"}},
		{"z\U0010FFFF", "", "", []string{"z\U0010FFFFa"}},
		{"a", sluice.KindView, "", []string{"a_view"}},
		{"", sluice.KindView, "", []string{"a_view", "v1"}},
		{"", sluice.KindView, "a_view", []string{"v1"}},
	} {
		if got := prefixed(tc.prefix, tc.kind, tc.after); !slices.Equal(got, tc.want) {
			t.Errorf("prefix %q kind %q after %q = %q, want %q", tc.prefix, tc.kind, tc.after, got, tc.want)
		}
	}
}

// testCatalogFunctions: a function round-trips; a taken name is ECONFLICT and the transaction goes on.
func testCatalogFunctions(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "udfs", alice)
	f := &sluice.Function{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "my_lower", Class: "com.example.Lower",
		Resources: []string{"udf.jar", "dict.txt"}, Owner: "alice"}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.CreateFunction(ctx, f) })
	if f.ID == 0 || !f.CreatedAt.Equal(catalogTime) {
		t.Fatalf("created = %+v", f)
	}
	// The conflict leaves the transaction usable (on PostgreSQL a failed statement would end it).
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		dup := &sluice.Function{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "my_lower", Class: "x.Y"}
		wantCode(t, tx.CreateFunction(ctx, dup), sluice.ECONFLICT)
		return tx.CreateFunction(ctx, &sluice.Function{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "a_upper", Class: "m.Upper"})
	})
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		return tx.CreateFunction(ctx, &sluice.Function{ProjectID: p.ID, Schema: "s2", Name: "my_lower", Class: "x.Y"})
	})
	err := db.UpdateCatalog(ctx, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		return tx.CreateFunction(ctx, &sluice.Function{ProjectID: p.ID + 1000, Schema: sluice.DefaultSchema, Name: "f"})
	})
	wantCode(t, err, sluice.ENOTFOUND)

	read(t, db, func(tx sluice.CatalogTx) error {
		got, err := tx.FindFunction(ctx, p.ID, sluice.DefaultSchema, "my_lower")
		must(t, err)
		want := *f
		want.Project = "udfs"
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("read back:\n got %+v\nwant %+v", got, &want)
		}
		got, err = tx.FindFunction(ctx, p.ID, sluice.DefaultSchema, "a_upper")
		must(t, err)
		if got.Resources == nil || len(got.Resources) != 0 {
			t.Fatalf("no resources = %#v", got.Resources)
		}
		_, err = tx.FindFunction(ctx, p.ID, sluice.DefaultSchema, "nope")
		wantCode(t, err, sluice.ENOTFOUND)

		names := func(f sluice.FunctionFilter) []string {
			fs, err := tx.FindFunctions(ctx, f)
			must(t, err)
			ns := []string{}
			for _, fn := range fs {
				ns = append(ns, fn.Schema+"."+fn.Name)
			}
			return ns
		}
		for _, tc := range []struct {
			f    sluice.FunctionFilter
			want []string
		}{
			{sluice.FunctionFilter{ProjectID: p.ID}, []string{"default.a_upper", "default.my_lower", "s2.my_lower"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema}, []string{"default.a_upper", "default.my_lower"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, Limit: 1}, []string{"default.a_upper"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, After: "a_upper"}, []string{"default.my_lower"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, Prefix: "my"}, []string{"default.my_lower"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Prefix: "a_"}, []string{"default.a_upper"}},
			{sluice.FunctionFilter{ProjectID: p.ID, Prefix: "a%"}, []string{}},
		} {
			if got := names(tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("FindFunctions(%+v) = %q, want %q", tc.f, got, tc.want)
			}
		}
		return nil
	})

	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.DeleteFunction(ctx, p.ID, sluice.DefaultSchema, "my_lower") })
	err = db.UpdateCatalog(ctx, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		return tx.DeleteFunction(ctx, p.ID, sluice.DefaultSchema, "my_lower")
	})
	wantCode(t, err, sluice.ENOTFOUND)
	read(t, db, func(tx sluice.CatalogTx) error {
		_, err := tx.FindFunction(ctx, p.ID, sluice.DefaultSchema, "my_lower")
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = tx.FindFunction(ctx, p.ID, "s2", "my_lower")
		return err
	})
}

// testCatalogResourcesNamed: the resources of one name in every group of the project, ungrouped first.
func testCatalogResourcesNamed(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "res", alice)
	q := NewProject(t, db, "res_other", alice)
	_, err := db.CreateUpload(ctx, p.ID, &sluice.ResourceGroup{Name: "etl", Owner: "alice"},
		[]*sluice.Resource{uploading("udf.jar", "u1_udf.jar"), uploading("b.jar", "u1_b.jar")}, nil)
	must(t, err)
	_, err = db.CreateUpload(ctx, p.ID, nil, []*sluice.Resource{uploading("udf.jar", "u2_udf.jar")}, nil)
	must(t, err)
	_, err = db.CreateUpload(ctx, q.ID, nil, []*sluice.Resource{uploading("udf.jar", "u3_udf.jar")}, nil)
	must(t, err)
	read(t, db, func(tx sluice.CatalogTx) error {
		rs, err := tx.FindResourcesNamed(ctx, p.ID, "udf.jar")
		must(t, err)
		if len(rs) != 2 || rs[0].Group != "" || rs[0].UnderlyingName != "u2_udf.jar" || rs[1].Group != "etl" || rs[1].Name != "udf.jar" {
			t.Fatalf("udf.jar = %+v", rs)
		}
		if rs, _ := tx.FindResourcesNamed(ctx, p.ID, "UDF.jar"); len(rs) != 0 {
			t.Fatalf("another case = %+v", rs)
		}
		if rs, _ := tx.FindResourcesNamed(ctx, p.ID, "none"); rs == nil || len(rs) != 0 {
			t.Fatalf("none = %#v", rs)
		}
		return nil
	})
}

func tableObject(name string, actions ...string) sluice.PackageObject {
	return sluice.PackageObject{Type: sluice.ObjectTable, Schema: sluice.DefaultSchema, Name: name, Actions: actions}
}

// testCatalogPackages: packages are unique regardless of case; objects are added once and removed; the
// allow-list is put and relabelled; a dropped object leaves every package of its project.
func testCatalogPackages(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	src := NewProject(t, db, "src", alice)
	c1 := NewProject(t, db, "c_one", alice)
	c2 := NewProject(t, db, "b_two", alice)

	pkg := &sluice.Package{ProjectID: src.ID, Name: "Sales_Pkg",
		Objects: []sluice.PackageObject{tableObject("orders", "describe", "select"),
			{Type: sluice.ObjectResource, Schema: sluice.DefaultSchema, Name: "udf.jar", Actions: []string{"read"}}},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID, Label: 2}}}
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error { return tx.CreatePackage(ctx, pkg) })
	if pkg.ID == 0 || !pkg.CreatedAt.Equal(catalogTime) {
		t.Fatalf("created = %+v", pkg)
	}
	// Another case is the same name; the refusal leaves the transaction usable.
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		for _, n := range []string{"Sales_Pkg", "sales_pkg", "SALES_PKG"} {
			wantCode(t, tx.CreatePackage(ctx, &sluice.Package{ProjectID: src.ID, Name: n}), sluice.ECONFLICT)
		}
		return tx.CreatePackage(ctx, &sluice.Package{ProjectID: src.ID, Name: "another"})
	})
	// The same name in another project is another package.
	update(t, db, []int64{c1.ID}, func(tx sluice.CatalogTx) error {
		return tx.CreatePackage(ctx, &sluice.Package{ProjectID: c1.ID, Name: "sales_pkg"})
	})
	err := db.UpdateCatalog(ctx, nil, func(tx sluice.CatalogTx) error {
		return tx.CreatePackage(ctx, &sluice.Package{ProjectID: src.ID + 1000, Name: "p"})
	})
	wantCode(t, err, sluice.ENOTFOUND)

	got, err := findPackage(t, db, src.ID, "SALES_pkg")
	must(t, err)
	if got.ID != pkg.ID || got.Name != "Sales_Pkg" || got.Project != "src" || got.ProjectID != src.ID || !got.CreatedAt.Equal(catalogTime) {
		t.Fatalf("found = %+v", got)
	}
	if want := []string{"resource default.udf.jar", "table default.orders"}; !slices.Equal(objectNames(got.Objects), want) {
		t.Fatalf("objects = %q, want %q", objectNames(got.Objects), want)
	}
	if !slices.Equal(got.Objects[1].Actions, []string{"describe", "select"}) {
		t.Fatalf("actions = %q", got.Objects[1].Actions)
	}
	if len(got.Allowed) != 1 || got.Allowed[0] != (sluice.PackageAllow{ProjectID: c1.ID, Project: "c_one", Label: 2}) {
		t.Fatalf("allowed = %+v", got.Allowed)
	}
	_, err = findPackage(t, db, src.ID, "nope")
	wantCode(t, err, sluice.ENOTFOUND)
	if empty, err := findPackage(t, db, src.ID, "another"); err != nil || empty.Objects == nil || len(empty.Objects) != 0 || empty.Allowed == nil {
		t.Fatalf("an empty package = %+v, %v", empty, err)
	}

	// Objects: added once, removed once; the allow-list relabelled and grown, by project name.
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		wantCode(t, tx.AddPackageObject(ctx, pkg.ID, tableObject("orders", "select")), sluice.ECONFLICT)
		wantCode(t, tx.AddPackageObject(ctx, pkg.ID+1000, tableObject("orders", "select")), sluice.ENOTFOUND)
		return nil
	})
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.AddPackageObject(ctx, pkg.ID, tableObject("*", "describe")))
		must(t, tx.AddPackageObject(ctx, pkg.ID, sluice.PackageObject{Type: sluice.ObjectFunction, Schema: sluice.DefaultSchema, Name: "my_lower"}))
		must(t, tx.AddPackageObject(ctx, pkg.ID, tableObject("customers", "select")))
		removed, err := tx.RemovePackageObject(ctx, pkg.ID, sluice.ObjectResource, sluice.DefaultSchema, "udf.jar")
		if err != nil || !removed {
			t.Fatalf("remove = %v, %v", removed, err)
		}
		removed, err = tx.RemovePackageObject(ctx, pkg.ID, sluice.ObjectResource, sluice.DefaultSchema, "udf.jar")
		if err != nil || removed {
			t.Fatalf("remove again = %v, %v", removed, err)
		}
		must(t, tx.PutPackageAllow(ctx, pkg.ID, sluice.PackageAllow{ProjectID: c1.ID, Label: 5}))
		must(t, tx.PutPackageAllow(ctx, pkg.ID, sluice.PackageAllow{ProjectID: c2.ID}))
		return nil
	})
	err = db.UpdateCatalog(ctx, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		return tx.PutPackageAllow(ctx, pkg.ID, sluice.PackageAllow{ProjectID: c2.ID + 1000})
	})
	wantCode(t, err, sluice.ENOTFOUND)
	got, err = findPackage(t, db, src.ID, "sales_pkg")
	must(t, err)
	if want := []string{"function default.my_lower", "table default.*", "table default.customers", "table default.orders"}; !slices.Equal(objectNames(got.Objects), want) {
		t.Fatalf("objects = %q, want %q", objectNames(got.Objects), want)
	}
	if a := got.Objects[0].Actions; a == nil || len(a) != 0 {
		t.Fatalf("no actions = %#v", a)
	}
	want := []sluice.PackageAllow{{ProjectID: c2.ID, Project: "b_two", Label: 0}, {ProjectID: c1.ID, Project: "c_one", Label: 5}}
	if !reflect.DeepEqual(got.Allowed, want) {
		t.Fatalf("allowed = %+v, want %+v", got.Allowed, want)
	}

	// A dropped table leaves every package of its project; "*" and other projects' packages stay.
	update(t, db, []int64{src.ID, c1.ID}, func(tx sluice.CatalogTx) error {
		other, err := tx.FindPackage(ctx, src.ID, "another")
		must(t, err)
		must(t, tx.AddPackageObject(ctx, other.ID, tableObject("orders", "select")))
		must(t, tx.AddPackageObject(ctx, other.ID, sluice.PackageObject{Type: sluice.ObjectFunction, Schema: sluice.DefaultSchema, Name: "orders"}))
		foreign, err := tx.FindPackage(ctx, c1.ID, "SALES_PKG")
		must(t, err)
		return tx.AddPackageObject(ctx, foreign.ID, tableObject("orders", "select"))
	})
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		return tx.RemoveObjectEverywhere(ctx, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "orders")
	})
	for _, tc := range []struct {
		project int64
		name    string
		want    []string
	}{
		{src.ID, "sales_pkg", []string{"function default.my_lower", "table default.*", "table default.customers"}},
		{src.ID, "another", []string{"function default.orders"}},
		{c1.ID, "sales_pkg", []string{"table default.orders"}},
	} {
		got, err := findPackage(t, db, tc.project, tc.name)
		must(t, err)
		if !slices.Equal(objectNames(got.Objects), tc.want) {
			t.Errorf("package %d/%s after the drop = %q, want %q", tc.project, tc.name, objectNames(got.Objects), tc.want)
		}
	}

	// Listing and counts.
	read(t, db, func(tx sluice.CatalogTx) error {
		ps, err := tx.FindPackages(ctx, src.ID)
		must(t, err)
		if len(ps) != 2 || ps[0].Name != "another" || ps[1].Name != "Sales_Pkg" || ps[1].Project != "src" || ps[1].Objects != nil || ps[1].Allowed != nil {
			t.Fatalf("packages = %+v", ps)
		}
		if n, err := tx.CountPackages(ctx, src.ID); err != nil || n != 2 {
			t.Fatalf("count = %d, %v", n, err)
		}
		if ps, err := tx.FindPackages(ctx, c2.ID); err != nil || ps == nil || len(ps) != 0 {
			t.Fatalf("no packages = %#v, %v", ps, err)
		}
		return nil
	})

	// A deleted package takes its objects and allow-list along.
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error { return tx.DeletePackage(ctx, pkg.ID) })
	_, err = findPackage(t, db, src.ID, "sales_pkg")
	wantCode(t, err, sluice.ENOTFOUND)
	err = db.UpdateCatalog(ctx, []int64{src.ID}, func(tx sluice.CatalogTx) error { return tx.DeletePackage(ctx, pkg.ID) })
	wantCode(t, err, sluice.ENOTFOUND)
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		// The name is free again, and the new package holds nothing of the old one's.
		p := &sluice.Package{ProjectID: src.ID, Name: "SALES_PKG"}
		must(t, tx.CreatePackage(ctx, p))
		// Ids are never given twice, so nothing that still names the old package (a cache) finds the new one.
		if p.ID == pkg.ID {
			t.Errorf("a deleted package's id %d was given again", p.ID)
		}
		return nil
	})
	got, err = findPackage(t, db, src.ID, "sales_pkg")
	must(t, err)
	if got.Name != "SALES_PKG" || len(got.Objects) != 0 || len(got.Allowed) != 0 {
		t.Fatalf("re-created = %+v", got)
	}
}

// testCatalogInstalls: an installation is recorded once, listed by source project and package name, counted,
// and removed by uninstall, by a disallow, and with its package.
func testCatalogInstalls(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	srcB := NewProject(t, db, "src_b", alice)
	srcA := NewProject(t, db, "src_a", alice)
	c1 := NewProject(t, db, "consumer1", alice)
	c2 := NewProject(t, db, "consumer2", alice)
	var pb, pa1, pa2 *sluice.Package
	update(t, db, []int64{srcA.ID, srcB.ID}, func(tx sluice.CatalogTx) error {
		pb = &sluice.Package{ProjectID: srcB.ID, Name: "aaa", Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}}}
		pa1 = &sluice.Package{ProjectID: srcA.ID, Name: "Zed", Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}, {ProjectID: c2.ID}}}
		pa2 = &sluice.Package{ProjectID: srcA.ID, Name: "mid", Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}}}
		for _, p := range []*sluice.Package{pb, pa1, pa2} {
			if err := tx.CreatePackage(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	install := func(p *sluice.Package, consumer *sluice.Project) *sluice.PackageInstall {
		in := &sluice.PackageInstall{PackageID: p.ID, SourceProjectID: p.ProjectID, ProjectID: consumer.ID}
		update(t, db, []int64{consumer.ID}, func(tx sluice.CatalogTx) error { return tx.CreateInstall(ctx, in) })
		return in
	}
	in := install(pb, c1)
	if !in.InstalledAt.Equal(catalogTime) || in.Status != sluice.InstallOK {
		t.Fatalf("installed = %+v", in)
	}
	install(pa1, c1)
	install(pa2, c1)
	install(pa1, c2)
	update(t, db, []int64{c1.ID}, func(tx sluice.CatalogTx) error {
		wantCode(t, tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: pb.ID, ProjectID: c1.ID}), sluice.ECONFLICT)
		return nil
	})
	err := db.UpdateCatalog(ctx, []int64{c1.ID}, func(tx sluice.CatalogTx) error {
		return tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: pb.ID + 1000, ProjectID: c1.ID})
	})
	wantCode(t, err, sluice.ENOTFOUND)

	installs := func(consumer *sluice.Project) []string {
		t.Helper()
		out := []string{}
		read(t, db, func(tx sluice.CatalogTx) error {
			ins, err := tx.FindInstalls(ctx, consumer.ID)
			for _, in := range ins {
				if in.ProjectID != consumer.ID || in.Status != sluice.InstallOK || !in.InstalledAt.Equal(catalogTime) {
					t.Errorf("install = %+v", in)
				}
				out = append(out, fmt.Sprintf("%s(%d).%s(%d)", in.SourceProject, in.SourceProjectID, in.Package, in.PackageID))
			}
			return err
		})
		return out
	}
	count := func(p *sluice.Package) int {
		t.Helper()
		var n int
		read(t, db, func(tx sluice.CatalogTx) error {
			var err error
			n, err = tx.CountInstalls(ctx, p.ID)
			return err
		})
		return n
	}
	name := func(src *sluice.Project, p *sluice.Package) string {
		return fmt.Sprintf("%s(%d).%s(%d)", src.Name, src.ID, p.Name, p.ID)
	}
	if got, want := installs(c1), []string{name(srcA, pa2), name(srcA, pa1), name(srcB, pb)}; !slices.Equal(got, want) {
		t.Fatalf("installed into c1 = %q, want %q", got, want)
	}
	if n := count(pa1); n != 2 {
		t.Fatalf("installs of Zed = %d", n)
	}

	update(t, db, []int64{c1.ID}, func(tx sluice.CatalogTx) error {
		ok, err := tx.DeleteInstall(ctx, pa2.ID, c1.ID)
		if err != nil || !ok {
			t.Fatalf("uninstall = %v, %v", ok, err)
		}
		ok, err = tx.DeleteInstall(ctx, pa2.ID, c1.ID)
		if err != nil || ok {
			t.Fatalf("uninstall again = %v, %v", ok, err)
		}
		return nil
	})
	// A disallow removes the installation too; the other consumer keeps its own.
	update(t, db, []int64{srcA.ID}, func(tx sluice.CatalogTx) error {
		ok, err := tx.DeletePackageAllow(ctx, pa1.ID, c1.ID)
		if err != nil || !ok {
			t.Fatalf("disallow = %v, %v", ok, err)
		}
		ok, err = tx.DeletePackageAllow(ctx, pa1.ID, c1.ID)
		if err != nil || ok {
			t.Fatalf("disallow again = %v, %v", ok, err)
		}
		return nil
	})
	if got, want := installs(c1), []string{name(srcB, pb)}; !slices.Equal(got, want) {
		t.Fatalf("installed into c1 = %q, want %q", got, want)
	}
	if got, want := installs(c2), []string{name(srcA, pa1)}; !slices.Equal(got, want) {
		t.Fatalf("installed into c2 = %q, want %q", got, want)
	}
	// A deleted package is uninstalled everywhere.
	update(t, db, []int64{srcA.ID}, func(tx sluice.CatalogTx) error { return tx.DeletePackage(ctx, pa1.ID) })
	if got := installs(c2); len(got) != 0 {
		t.Fatalf("installed into c2 after the delete = %q", got)
	}
	if n := count(pa1); n != 0 {
		t.Fatalf("installs of a deleted package = %d", n)
	}
}

func grantStrings(gs []sluice.ObjectGrant) []string {
	out := []string{}
	for _, g := range gs {
		a := slices.Clone(g.Actions)
		slices.Sort(a)
		out = append(out, fmt.Sprintf("%d@%d:%s/%d", g.PackageID, g.ConsumerProjectID, strings.Join(a, ","), g.Label))
	}
	return out
}

// testCatalogGrants: one grant per installation of a package that holds the object by name or by "*", with the
// consumer's label, for any of several consumers, and only from the named source project.
func testCatalogGrants(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	src := NewProject(t, db, "src", alice)
	other := NewProject(t, db, "other_src", alice)
	c1 := NewProject(t, db, "c1_x", alice)
	c2 := NewProject(t, db, "c2_x", alice)
	c3 := NewProject(t, db, "c3_x", alice)
	fn := sluice.PackageObject{Type: sluice.ObjectFunction, Schema: sluice.DefaultSchema, Name: "f", Actions: []string{"execute"}}
	p1 := &sluice.Package{ProjectID: src.ID, Name: "p1", Objects: []sluice.PackageObject{tableObject("t1", "describe", "select"), fn},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID, Label: 3}, {ProjectID: c2.ID, Label: 1}, {ProjectID: c3.ID}}}
	p2 := &sluice.Package{ProjectID: src.ID, Name: "p2", Objects: []sluice.PackageObject{tableObject("*", "describe"), tableObject("t1", "update", "describe")},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}}}
	p3 := &sluice.Package{ProjectID: src.ID, Name: "p3", Objects: []sluice.PackageObject{tableObject("t2", "select")},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID, Label: 9}}}
	p4 := &sluice.Package{ProjectID: other.ID, Name: "p4", Objects: []sluice.PackageObject{tableObject("t1", "select")},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID, Label: 4}}}
	update(t, db, []int64{src.ID, other.ID}, func(tx sluice.CatalogTx) error {
		for _, p := range []*sluice.Package{p1, p2, p3, p4} {
			if err := tx.CreatePackage(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, db, []int64{c1.ID, c2.ID}, func(tx sluice.CatalogTx) error {
		for _, in := range []sluice.PackageInstall{{PackageID: p1.ID, ProjectID: c1.ID}, {PackageID: p1.ID, ProjectID: c2.ID},
			{PackageID: p2.ID, ProjectID: c1.ID}, {PackageID: p3.ID, ProjectID: c1.ID}, {PackageID: p4.ID, ProjectID: c1.ID}} {
			if err := tx.CreateInstall(ctx, &in); err != nil {
				return err
			}
		}
		return nil // c3 is allowed p1 but has not installed it
	})
	g := func(p *sluice.Package, c *sluice.Project, label int, actions ...string) string {
		slices.Sort(actions)
		return fmt.Sprintf("%d@%d:%s/%d", p.ID, c.ID, strings.Join(actions, ","), label)
	}
	grants := func(consumers []int64, source int64, typ sluice.ObjectType, schema, name string) []string {
		t.Helper()
		var gs []sluice.ObjectGrant
		read(t, db, func(tx sluice.CatalogTx) error {
			var err error
			gs, err = tx.FindGrants(ctx, consumers, source, typ, schema, name)
			return err
		})
		return grantStrings(gs)
	}
	for _, tc := range []struct {
		what      string
		consumers []int64
		source    int64
		typ       sluice.ObjectType
		schema    string
		name      string
		want      []string
	}{
		{"t1 for c1", []int64{c1.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1",
			[]string{g(p1, c1, 3, "describe", "select"), g(p2, c1, 0, "describe", "update")}},
		{"t1 for every consumer", []int64{c3.ID, c2.ID, c1.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1",
			[]string{g(p1, c1, 3, "describe", "select"), g(p2, c1, 0, "describe", "update"), g(p1, c2, 1, "describe", "select")}},
		{"t1 for c2", []int64{c2.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1", []string{g(p1, c2, 1, "describe", "select")}},
		{"t1 for c3, not installed", []int64{c3.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1", []string{}},
		{"any table through *", []int64{c1.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t9", []string{g(p2, c1, 0, "describe")}},
		{"t2", []int64{c1.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t2", []string{g(p2, c1, 0, "describe"), g(p3, c1, 9, "select")}},
		{"a function", []int64{c1.ID, c2.ID}, src.ID, sluice.ObjectFunction, sluice.DefaultSchema, "f",
			[]string{g(p1, c1, 3, "execute"), g(p1, c2, 1, "execute")}},
		{"another type", []int64{c1.ID}, src.ID, sluice.ObjectResource, sluice.DefaultSchema, "t1", []string{}},
		{"another schema", []int64{c1.ID}, src.ID, sluice.ObjectTable, "s2", "t1", []string{}},
		{"another source", []int64{c1.ID}, other.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1", []string{g(p4, c1, 4, "select")}},
		{"no consumers", nil, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1", []string{}},
	} {
		if got := grants(tc.consumers, tc.source, tc.typ, tc.schema, tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("%s: grants = %q, want %q", tc.what, got, tc.want)
		}
	}
	// A relabel shows at once; a disallow ends the grant.
	update(t, db, []int64{src.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.PutPackageAllow(ctx, p1.ID, sluice.PackageAllow{ProjectID: c2.ID, Label: 7}))
		_, err := tx.DeletePackageAllow(ctx, p2.ID, c1.ID)
		return err
	})
	want := []string{g(p1, c1, 3, "describe", "select"), g(p1, c2, 7, "describe", "select")}
	if got := grants([]int64{c1.ID, c2.ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "t1"); !slices.Equal(got, want) {
		t.Errorf("after relabel and disallow: grants = %q, want %q", got, want)
	}
}

// testCatalogProjectDeletion: a deleted source project takes its catalogue and packages along, and their
// installations elsewhere; a deleted consumer leaves allow-lists and installations.
func testCatalogProjectDeletion(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	src := NewProject(t, db, "src", alice)
	c1 := NewProject(t, db, "c1_x", alice)
	c2 := NewProject(t, db, "c2_x", alice)
	p := &sluice.Package{ProjectID: src.ID, Name: "p", Objects: []sluice.PackageObject{tableObject("t")},
		Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}, {ProjectID: c2.ID}}}
	var own *sluice.Package
	update(t, db, []int64{src.ID, c1.ID, c2.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.PutTable(ctx, table(src.ID, sluice.DefaultSchema, "t", sluice.KindTable)))
		must(t, tx.CreateFunction(ctx, &sluice.Function{ProjectID: src.ID, Schema: sluice.DefaultSchema, Name: "f"}))
		must(t, tx.CreatePackage(ctx, p))
		own = &sluice.Package{ProjectID: c1.ID, Name: "own"}
		must(t, tx.CreatePackage(ctx, own))
		must(t, tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: c1.ID}))
		return tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: c2.ID})
	})

	must(t, db.DeleteProject(ctx, c2.ID))
	got, err := findPackage(t, db, src.ID, "p")
	must(t, err)
	if len(got.Allowed) != 1 || got.Allowed[0].ProjectID != c1.ID {
		t.Fatalf("allowed after the consumer's deletion = %+v", got.Allowed)
	}
	read(t, db, func(tx sluice.CatalogTx) error {
		if n, err := tx.CountInstalls(ctx, p.ID); err != nil || n != 1 {
			t.Fatalf("installs after the consumer's deletion = %d, %v", n, err)
		}
		return nil
	})

	must(t, db.DeleteProject(ctx, src.ID))
	read(t, db, func(tx sluice.CatalogTx) error {
		if ts, err := tx.FindTables(ctx, sluice.TableFilter{ProjectID: src.ID}); err != nil || len(ts) != 0 {
			t.Fatalf("tables of a deleted project = %d, %v", len(ts), err)
		}
		if fs, err := tx.FindFunctions(ctx, sluice.FunctionFilter{ProjectID: src.ID}); err != nil || len(fs) != 0 {
			t.Fatalf("functions of a deleted project = %d, %v", len(fs), err)
		}
		if n, err := tx.CountPackages(ctx, src.ID); err != nil || n != 0 {
			t.Fatalf("packages of a deleted project = %d, %v", n, err)
		}
		if ins, err := tx.FindInstalls(ctx, c1.ID); err != nil || len(ins) != 0 {
			t.Fatalf("installs from a deleted project = %+v, %v", ins, err)
		}
		if n, err := tx.CountInstalls(ctx, p.ID); err != nil || n != 0 {
			t.Fatalf("installs of a deleted project's package = %d, %v", n, err)
		}
		if n, err := tx.CountPackages(ctx, c1.ID); err != nil || n != 1 {
			t.Fatalf("the consumer's own packages = %d, %v", n, err)
		}
		return nil
	})
}

// testCatalogLineage: a table lineage names enters the catalogue of the project the guid names, undescribed,
// once; a project Sluice does not have gets nothing; a described table stays as DDL described it.
func testCatalogLineage(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, dev := x.db, x.project
	x.clock.Set(catalogTime)
	owner, err := db.FindUserByID(ctx, dev.OwnerID)
	must(t, err)
	sales := NewProject(t, db, "Sales_DW", owner) // guids name projects in lower case
	described := table(dev.ID, sluice.DefaultSchema, "dwd", sluice.KindTable)
	described.Owner, described.Comment = "alice", "by DDL"
	update(t, db, []int64{dev.ID}, func(tx sluice.CatalogTx) error { return tx.PutTable(ctx, described) })

	f := x.file(t, "load", x.folder.Path, 10, "1001")
	_, _, err = commit(ctx, db, dev.ID, f.ID, "1001", "", fixedLineage(
		[]string{"odps.dev.ods", "odps.dev.dwd", "odps.sales_dw.orders", "odps.nowhere.x", "odps.dev.s1.t3"},
		[]string{"odps.sales_dw.s2.t4", "odps.dev.dwd"}))
	must(t, err)
	// A manual relation catalogues its tables too.
	must(t, db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: dev.ID, Src: "odps.sales_dw.r1", Dest: "odps.dev.r2", Type: "sql"}))

	if got, want := tableNames(findTables(t, db, sluice.TableFilter{ProjectID: dev.ID})), []string{"default.dwd", "default.ods", "default.r2", "s1.t3"}; !slices.Equal(got, want) {
		t.Fatalf("dev's catalogue = %q, want %q", got, want)
	}
	if got, want := tableNames(findTables(t, db, sluice.TableFilter{ProjectID: sales.ID})), []string{"default.orders", "default.r1", "s2.t4"}; !slices.Equal(got, want) {
		t.Fatalf("Sales_DW's catalogue = %q, want %q", got, want)
	}
	ods, err := findTable(t, db, dev.ID, sluice.DefaultSchema, "ods")
	must(t, err)
	if ods.Described || ods.Kind != sluice.KindTable || len(ods.Columns) != 0 || ods.Owner != "" || ods.Project != "dev" ||
		!ods.CreatedAt.Equal(catalogTime) || !ods.UpdatedAt.Equal(catalogTime) {
		t.Fatalf("a table lineage found = %+v", ods)
	}
	dwd, err := findTable(t, db, dev.ID, sluice.DefaultSchema, "dwd")
	must(t, err)
	if !dwd.Described || dwd.Owner != "alice" || dwd.Comment != "by DDL" || len(dwd.Columns) != 1 || dwd.ID != described.ID {
		t.Fatalf("a described table after lineage = %+v", dwd)
	}

	// A project created afterwards holds nothing until lineage names its tables again; DDL then describes a
	// found table in place.
	nowhere := NewProject(t, db, "nowhere", owner)
	if got := findTables(t, db, sluice.TableFilter{ProjectID: nowhere.ID}); len(got) != 0 {
		t.Fatalf("a new project's catalogue = %q", tableNames(got))
	}
	_, _, err = commit(ctx, db, dev.ID, f.ID, "1001", "", fixedLineage([]string{"odps.nowhere.x"}, nil))
	must(t, err)
	found, err := findTable(t, db, nowhere.ID, sluice.DefaultSchema, "x")
	must(t, err)
	desc := table(nowhere.ID, sluice.DefaultSchema, "x", sluice.KindTable)
	update(t, db, []int64{nowhere.ID}, func(tx sluice.CatalogTx) error { return tx.PutTable(ctx, desc) })
	if desc.ID != found.ID {
		t.Fatalf("DDL gave a found table a new id: %d, was %d", desc.ID, found.ID)
	}
	_, _, err = commit(ctx, db, dev.ID, f.ID, "1001", "", fixedLineage([]string{"odps.nowhere.x"}, []string{"odps.nowhere.x"}))
	must(t, err)
	if got, err := findTable(t, db, nowhere.ID, sluice.DefaultSchema, "x"); err != nil || !got.Described || len(got.Columns) != 1 {
		t.Fatalf("a described table after lineage named it again = %+v, %v", got, err)
	}
}

// testCatalogRollback: a change whose function fails leaves nothing behind.
func testCatalogRollback(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "p_1", alice)
	c := NewProject(t, db, "c_1", alice)
	keep := &sluice.Package{ProjectID: p.ID, Name: "keep"}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error { return tx.CreatePackage(ctx, keep) })
	boom := errors.New("refused")
	err := db.UpdateCatalog(ctx, []int64{p.ID, c.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.PutTable(ctx, table(p.ID, sluice.DefaultSchema, "t", sluice.KindTable)))
		must(t, tx.CreateFunction(ctx, &sluice.Function{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "f"}))
		must(t, tx.CreatePackage(ctx, &sluice.Package{ProjectID: p.ID, Name: "gone", Objects: []sluice.PackageObject{tableObject("t")}}))
		must(t, tx.AddPackageObject(ctx, keep.ID, tableObject("t")))
		must(t, tx.PutPackageAllow(ctx, keep.ID, sluice.PackageAllow{ProjectID: c.ID}))
		must(t, tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: keep.ID, ProjectID: c.ID}))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want the function's", err)
	}
	read(t, db, func(tx sluice.CatalogTx) error {
		if ts, _ := tx.FindTables(ctx, sluice.TableFilter{ProjectID: p.ID}); len(ts) != 0 {
			t.Errorf("tables = %q", tableNames(ts))
		}
		if _, err := tx.FindFunction(ctx, p.ID, sluice.DefaultSchema, "f"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
			t.Errorf("function: %v", err)
		}
		if n, _ := tx.CountPackages(ctx, p.ID); n != 1 {
			t.Errorf("packages = %d", n)
		}
		k, err := tx.FindPackage(ctx, p.ID, "keep")
		must(t, err)
		if len(k.Objects) != 0 || len(k.Allowed) != 0 {
			t.Errorf("kept package = %+v", k)
		}
		if n, _ := tx.CountInstalls(ctx, keep.ID); n != 0 {
			t.Errorf("installs = %d", n)
		}
		return nil
	})
}

// testCatalogConcurrent: updates of one project that read and then write run one after the other, so none is
// lost: each appends a column to a table it read, and adds an object named after the count of objects it read
// (two updates reading the same count would collide). Updates locking two projects in either order finish.
func testCatalogConcurrent(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "busy", alice)
	q := NewProject(t, db, "busy_too", alice)
	pkg := &sluice.Package{ProjectID: p.ID, Name: "pkg"}
	update(t, db, []int64{p.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.PutTable(ctx, &sluice.CatalogTable{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: "wide", Kind: sluice.KindTable}))
		return tx.CreatePackage(ctx, pkg)
	})

	const workers, rounds = 4, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				ids := []int64{p.ID, q.ID}
				if (w+r)%2 == 1 {
					ids = []int64{q.ID, p.ID} // the store orders the locks, whatever order they are asked in
				}
				err := db.UpdateCatalog(ctx, ids, func(tx sluice.CatalogTx) error {
					tbl, err := tx.FindTable(ctx, p.ID, sluice.DefaultSchema, "wide")
					if err != nil {
						return err
					}
					k, err := tx.FindPackage(ctx, p.ID, "pkg")
					if err != nil {
						return err
					}
					// Between the read and the write, another update would slip in if the lock did not hold it off.
					time.Sleep(time.Millisecond)
					tbl.Columns = append(tbl.Columns, sluice.Column{Name: fmt.Sprintf("c%d_%d", w, r), Type: "bigint"})
					if err := tx.PutTable(ctx, tbl); err != nil {
						return err
					}
					return tx.AddPackageObject(ctx, k.ID, tableObject(fmt.Sprintf("t%03d", len(k.Objects))))
				})
				if err != nil {
					errs <- fmt.Errorf("worker %d round %d: %w", w, r, err)
				}
			}
		}()
	}
	// Readers alongside see whole states.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range rounds {
			err := db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
				tbl, err := tx.FindTable(ctx, p.ID, sluice.DefaultSchema, "wide")
				if err != nil {
					return err
				}
				k, err := tx.FindPackage(ctx, p.ID, "pkg")
				if err != nil {
					return err
				}
				if len(tbl.Columns) != len(k.Objects) {
					return fmt.Errorf("a read saw %d columns and %d objects", len(tbl.Columns), len(k.Objects))
				}
				return nil
			})
			if err != nil {
				errs <- err
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	tbl, err := findTable(t, db, p.ID, sluice.DefaultSchema, "wide")
	must(t, err)
	k, err := findPackage(t, db, p.ID, "pkg")
	must(t, err)
	if len(tbl.Columns) != workers*rounds || len(k.Objects) != workers*rounds {
		t.Fatalf("%d updates acknowledged; the table has %d columns, the package %d objects", workers*rounds, len(tbl.Columns), len(k.Objects))
	}
	seen := map[string]bool{}
	for _, c := range tbl.Columns {
		seen[c.Name] = true
	}
	if len(seen) != workers*rounds {
		t.Fatalf("columns = %+v", tbl.Columns)
	}
}

// testCatalogConcurrentColdReads: more transactions at once than either pool has connections, on a store that
// has prepared none of their statements yet, all finish.
func testCatalogConcurrentColdReads(t *testing.T, open Open) {
	db, _, alice := openCatalog(t, open)
	p := NewProject(t, db, "cold", alice)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const workers = 48
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn := func(tx sluice.CatalogTx) error {
				if _, err := tx.FindPackages(ctx, p.ID); err != nil {
					return err
				}
				_, err := tx.FindTables(ctx, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, Limit: 10})
				return err
			}
			if i%4 == 0 {
				errs <- db.UpdateCatalog(ctx, []int64{p.ID}, fn)
			} else {
				errs <- db.ReadCatalog(ctx, fn)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// testCatalogListingVersions: a project's package listing version moves on with every change of what it lists,
// whichever project's statement makes it, and stays otherwise (the core reuses listings while it stays).
func testCatalogListingVersions(t *testing.T, open Open) {
	ctx := context.Background()
	db, _, alice := openCatalog(t, open)
	src := NewProject(t, db, "src_v", alice)
	c1 := NewProject(t, db, "c1_v", alice)
	c2 := NewProject(t, db, "c2_v", alice)
	version := func(p *sluice.Project) int64 {
		t.Helper()
		var v int64
		read(t, db, func(tx sluice.CatalogTx) (err error) { v, err = tx.PackageListingVersion(ctx, p.ID); return err })
		return v
	}
	moved := func(what string, change func(tx sluice.CatalogTx) error, moves, stays []*sluice.Project) {
		t.Helper()
		before := map[int64]int64{}
		for _, p := range append(slices.Clone(moves), stays...) {
			before[p.ID] = version(p)
		}
		update(t, db, []int64{src.ID, c1.ID, c2.ID}, change)
		for _, p := range moves {
			if v := version(p); v <= before[p.ID] {
				t.Errorf("%s: %s's listing version stayed at %d", what, p.Name, v)
			}
		}
		for _, p := range stays {
			if v := version(p); v != before[p.ID] {
				t.Errorf("%s: %s's listing version moved from %d to %d", what, p.Name, before[p.ID], v)
			}
		}
	}
	if v := version(src); v != 0 {
		t.Fatalf("a new project's listing version = %d", v)
	}
	p := &sluice.Package{ProjectID: src.ID, Name: "p", Allowed: []sluice.PackageAllow{{ProjectID: c1.ID}, {ProjectID: c2.ID}}}
	moved("create", func(tx sluice.CatalogTx) error { return tx.CreatePackage(ctx, p) }, []*sluice.Project{src}, []*sluice.Project{c1, c2})
	moved("add object", func(tx sluice.CatalogTx) error {
		must(t, tx.PutTable(ctx, table(src.ID, sluice.DefaultSchema, "t", sluice.KindTable)))
		return tx.AddPackageObject(ctx, p.ID, tableObject("t"))
	}, nil, []*sluice.Project{src, c1, c2})
	moved("install", func(tx sluice.CatalogTx) error {
		must(t, tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: c1.ID}))
		return tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: c2.ID})
	}, []*sluice.Project{c1, c2}, []*sluice.Project{src})
	moved("uninstall", func(tx sluice.CatalogTx) error { _, err := tx.DeleteInstall(ctx, p.ID, c2.ID); return err },
		[]*sluice.Project{c2}, []*sluice.Project{src, c1})
	moved("uninstall nothing", func(tx sluice.CatalogTx) error { _, err := tx.DeleteInstall(ctx, p.ID, c2.ID); return err },
		nil, []*sluice.Project{src, c1, c2})
	moved("disallow", func(tx sluice.CatalogTx) error { _, err := tx.DeletePackageAllow(ctx, p.ID, c1.ID); return err },
		[]*sluice.Project{c1}, []*sluice.Project{src, c2})
	moved("reinstall", func(tx sluice.CatalogTx) error {
		must(t, tx.PutPackageAllow(ctx, p.ID, sluice.PackageAllow{ProjectID: c1.ID}))
		return tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: c1.ID})
	}, []*sluice.Project{c1}, []*sluice.Project{src, c2})
	moved("drop", func(tx sluice.CatalogTx) error { return tx.DeletePackage(ctx, p.ID) }, []*sluice.Project{src, c1}, []*sluice.Project{c2})

	q := &sluice.Package{ProjectID: src.ID, Name: "q", Allowed: []sluice.PackageAllow{{ProjectID: c2.ID}}}
	update(t, db, []int64{src.ID, c2.ID}, func(tx sluice.CatalogTx) error {
		must(t, tx.CreatePackage(ctx, q))
		return tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: q.ID, ProjectID: c2.ID})
	})
	before := version(c2)
	must(t, db.DeleteProject(ctx, src.ID))
	if v := version(c2); v <= before {
		t.Errorf("the source project's deletion left its consumer's listing version at %d", v)
	}
}
