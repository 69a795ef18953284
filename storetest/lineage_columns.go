package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/sluice-dev/sluice"
)

// columnLineage is a version's lineage writing the tables of edges' targets from those of their sources.
func columnLineage(edges ...sluice.ColumnEdge) *sluice.VersionLineage {
	ins, outs := map[string]bool{}, map[string]bool{}
	for _, e := range edges {
		if c, err := sluice.ParseColumnGuid(e.Target); err == nil {
			outs[c.Table.Guid()] = true
		}
		if c, err := sluice.ParseColumnGuid(e.Source); err == nil {
			ins[c.Table.Guid()] = true
		}
	}
	l := fixedLineage(slices.Sorted(maps.Keys(ins)), slices.Sorted(maps.Keys(outs)))
	l.Columns = edges
	return l
}

// ColumnLineage is the lineage a version writing edges records, with the tables of their columns as its inputs
// and outputs, for the store's own tests and benchmarks of column lineage.
func ColumnLineage(edges ...sluice.ColumnEdge) *sluice.VersionLineage { return columnLineage(edges...) }

func linkStrings(links []*sluice.ColumnLink) []string {
	out := []string{}
	for _, l := range links {
		out = append(out, l.Guid+":"+l.Kind)
	}
	return out
}

// testColumnLineage: column lineage recorded at commit, read back with the version, and served through current
// versions only — paged, counted per column, filtered by project.
func testColumnLineage(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	const (
		ordID, ordPrice, ordQty = "odps.dev.ods_orders.id", "odps.dev.ods_orders.price", "odps.dev.ods_orders.qty"
		shopName                = "odps.dev.dim_shop.name"
		dwsShop, dwsAmount      = "odps.dev.dws_orders.shop_name", "odps.dev.dws_orders.amount"
		dwsCnt, dwsDs           = "odps.dev.dws_orders.order_cnt", "odps.dev.dws_orders.ds"
		adsAmount               = "odps.dev.ads_orders.amount"
	)
	up := func(guid string, num, size int, ids []int64) ([]string, int64) {
		t.Helper()
		links, total, err := db.FindColumnLinks(ctx, sluice.ColumnQuery{Guid: guid, Direction: sluice.Upstream, PageNum: num, PageSize: size, ProjectIDs: ids})
		must(t, err)
		return linkStrings(links), total
	}
	down := func(guid string, num, size int, ids []int64) ([]string, int64) {
		t.Helper()
		links, total, err := db.FindColumnLinks(ctx, sluice.ColumnQuery{Guid: guid, Direction: sluice.Downstream, PageNum: num, PageSize: size, ProjectIDs: ids})
		must(t, err)
		return linkStrings(links), total
	}
	check := func(what string, got []string, total int64, want []string, wantTotal int64) {
		t.Helper()
		if !slices.Equal(got, want) || total != wantTotal {
			t.Fatalf("%s = %v (total %d), want %v (total %d)", what, got, total, want, wantTotal)
		}
	}

	// File a writes dws_orders; the same pair twice (a multi-insert) is recorded once, the first kind by name.
	a := x.file(t, "dws", x.folder.Path, 10, "1001")
	_, _, err := commit(ctx, db, pid, a.ID, "1001", "", columnLineage(
		sluice.ColumnEdge{Target: dwsShop, Source: shopName, Kind: sluice.ColumnDirect},
		sluice.ColumnEdge{Target: dwsAmount, Source: ordQty, Kind: sluice.ColumnExpression},
		sluice.ColumnEdge{Target: dwsAmount, Source: ordPrice, Kind: sluice.ColumnExpression},
		sluice.ColumnEdge{Target: dwsCnt, Source: ordID, Kind: sluice.ColumnDirect},
		sluice.ColumnEdge{Target: dwsCnt, Source: ordID, Kind: sluice.ColumnAggregation},
		sluice.ColumnEdge{Target: dwsDs, Kind: sluice.ColumnConstant},
	))
	must(t, err)
	// File b writes ads_orders.amount from dws_orders.amount, and a column from itself (a self-overwrite).
	b := x.file(t, "ads", x.folder.Path, 10, "1001")
	_, _, err = commit(ctx, db, pid, b.ID, "1001", "", columnLineage(
		sluice.ColumnEdge{Target: adsAmount, Source: dwsAmount, Kind: sluice.ColumnAggregation},
		sluice.ColumnEdge{Target: adsAmount, Source: adsAmount, Kind: sluice.ColumnDirect},
	))
	must(t, err)

	// Read back with the version, by target then source; the constant keeps its empty source.
	l, err := db.FindVersionLineage(ctx, pid, a.ID, 1)
	must(t, err)
	want := []sluice.ColumnEdge{
		{Target: dwsAmount, Source: ordPrice, Kind: sluice.ColumnExpression},
		{Target: dwsAmount, Source: ordQty, Kind: sluice.ColumnExpression},
		{Target: dwsDs, Kind: sluice.ColumnConstant},
		{Target: dwsCnt, Source: ordID, Kind: sluice.ColumnAggregation},
		{Target: dwsShop, Source: shopName, Kind: sluice.ColumnDirect},
	}
	if !slices.Equal(l.Columns, want) {
		t.Fatalf("version columns = %+v, want %+v", l.Columns, want)
	}
	// The columns' tables are catalogued in the project.
	if cats, err := db.FindTableCatalogues(ctx, "odps.dev.dim_shop"); err != nil || len(cats) != 1 || cats[0].ProjectID != pid {
		t.Fatalf("dim_shop catalogue = %+v, %v", cats, err)
	}

	g, n := up(dwsAmount, 1, 10, nil)
	check("up amount", g, n, []string{ordPrice + ":expression", ordQty + ":expression"}, 2)
	g, n = up(dwsDs, 1, 10, nil)
	check("up constant", g, n, []string{}, 0)
	g, n = down(dwsAmount, 1, 10, nil)
	check("down amount", g, n, []string{adsAmount + ":aggregation"}, 1)
	g, n = up(adsAmount, 1, 10, nil) // a column feeding itself is no neighbour
	check("up ads", g, n, []string{dwsAmount + ":aggregation"}, 1)

	// Paging: one a page, and a page past the end still tells the total.
	g, n = up(dwsAmount, 1, 1, nil)
	check("page 1", g, n, []string{ordPrice + ":expression"}, 2)
	g, n = up(dwsAmount, 2, 1, nil)
	check("page 2", g, n, []string{ordQty + ":expression"}, 2)
	g, n = up(dwsAmount, 3, 1, nil)
	check("page 3", g, n, []string{}, 2)

	// Project filter: another project's reader sees nothing; an empty filter nothing either.
	other := NewProject(t, db, "other", Seed(t, db, "bob", sluice.UserMember))
	g, n = up(dwsAmount, 1, 10, []int64{other.ID})
	check("other project", g, n, []string{}, 0)
	g, n = up(dwsAmount, 2, 10, []int64{})
	check("no project", g, n, []string{}, 0)
	g, n = up(dwsAmount, 1, 10, []int64{other.ID, pid})
	check("both projects", g, n, []string{ordPrice + ":expression", ordQty + ":expression"}, 2)

	// Counts per column of a table, upstream and downstream together; a schema table named like a table
	// (odps.dev.dws_orders.x) stays out of dws_orders' columns.
	c := x.file(t, "schema", x.folder.Path, 10, "1001")
	_, _, err = commit(ctx, db, pid, c.ID, "1001", "", columnLineage(
		sluice.ColumnEdge{Target: "odps.dev.dws_orders.x.amount", Source: ordPrice, Kind: sluice.ColumnDirect}))
	must(t, err)
	counts, err := db.CountColumnRelations(ctx, "odps.dev.dws_orders", nil)
	must(t, err)
	wantCounts := map[string]int64{"amount": 3, "order_cnt": 1, "shop_name": 1}
	if !maps.Equal(counts, wantCounts) {
		t.Fatalf("counts = %v, want %v", counts, wantCounts)
	}
	counts, err = db.CountColumnRelations(ctx, "odps.dev.ods_orders", nil)
	must(t, err)
	if !maps.Equal(counts, map[string]int64{"id": 1, "price": 2, "qty": 1}) {
		t.Fatalf("ods counts = %v", counts)
	}
	if counts, _ := db.CountColumnRelations(ctx, "odps.dev.dws_orders", []int64{other.ID}); len(counts) != 0 {
		t.Fatalf("counts outside the filter = %v", counts)
	}

	// Manual relations are table lineage only: they add no column neighbour.
	must(t, db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: pid, Src: "odps.dev.dws_orders", Dest: "odps.dev.rpt_orders"}))
	g, n = down(dwsAmount, 1, 10, nil)
	check("down after relation", g, n, []string{adsAmount + ":aggregation"}, 1)

	// A re-commit replaces: version 2 of a no longer reads qty; version 1 keeps what it recorded.
	_, _, err = commit(ctx, db, pid, a.ID, "1001", "", columnLineage(
		sluice.ColumnEdge{Target: dwsAmount, Source: ordPrice, Kind: sluice.ColumnDirect}))
	must(t, err)
	g, n = up(dwsAmount, 1, 10, nil)
	check("up after re-commit", g, n, []string{ordPrice + ":direct"}, 1)
	g, n = down(ordQty, 1, 10, nil)
	check("down qty after re-commit", g, n, []string{}, 0)
	if l, err := db.FindVersionLineage(ctx, pid, a.ID, 1); err != nil || len(l.Columns) != 5 {
		t.Fatalf("version 1 after re-commit = %+v, %v", l, err)
	}

	// A deleted file drops out.
	_, err = remove(ctx, db, pid, b.ID, "1001")
	must(t, err)
	g, n = down(dwsAmount, 1, 10, nil)
	check("down after delete", g, n, []string{}, 0)
	counts, err = db.CountColumnRelations(ctx, "odps.dev.dws_orders", nil)
	must(t, err)
	if !maps.Equal(counts, map[string]int64{"amount": 1}) {
		t.Fatalf("counts after delete = %v", counts)
	}

	// Many neighbours: a page in the middle, in guid order.
	d := x.file(t, "wide", x.folder.Path, 10, "1001")
	var edges []sluice.ColumnEdge
	for i := range 250 { // more than one insert batch
		edges = append(edges, sluice.ColumnEdge{Target: fmt.Sprintf("odps.dev.wide.c%03d", i), Source: ordID, Kind: sluice.ColumnDirect})
	}
	_, _, err = commit(ctx, db, pid, d.ID, "1001", "", columnLineage(edges...))
	must(t, err)
	g, n = down(ordID, 3, 100, nil)
	if n != 250 || len(g) != 50 || g[0] != "odps.dev.wide.c200:direct" {
		t.Fatalf("page 3 of wide = %d of %d, first %v", len(g), n, g[:min(1, len(g))])
	}

	// Deleting the project removes its column lineage with it.
	must(t, db.DeleteProject(ctx, pid))
	g, n = down(ordID, 1, 10, nil)
	check("after project delete", g, n, []string{}, 0)
}
