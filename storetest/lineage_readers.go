package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/sluice-dev/sluice"
)

// testLineageReaders checks FindColumnReaders and FindTableReaders: the current DEV nodes reading columns and
// tables, each node once per guid, through current versions only, filtered by project.
func testLineageReaders(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	const (
		ordPrice, dwsAmount, dwsShop = "odps.dev.ods_orders.price", "odps.dev.dws_orders.amount", "odps.dev.dws_orders.shop"
		adsAmount, adsShop, adsCopy  = "odps.dev.ads_orders.amount", "odps.dev.ads_orders.shop", "odps.dev.ads_orders.copy"
		dwsTable, odsTable           = "odps.dev.dws_orders", "odps.dev.ods_orders"
	)
	commitEdges := func(f *sluice.File, projectID int64, edges ...sluice.ColumnEdge) {
		t.Helper()
		_, _, err := commit(ctx, db, projectID, f.ID, "1001", "", columnLineage(edges...))
		must(t, err)
	}
	// a writes dws_orders from ods_orders; b reads dws_orders.amount into two columns (one node, not two) and
	// dws_orders.shop; c read dws_orders.amount in its first version only.
	a := x.file(t, "a", x.folder.Path, 10, "1001")
	commitEdges(a, pid, sluice.ColumnEdge{Target: dwsAmount, Source: ordPrice, Kind: sluice.ColumnDirect})
	b := x.file(t, "b", x.folder.Path, 10, "1001")
	commitEdges(b, pid, sluice.ColumnEdge{Target: adsAmount, Source: dwsAmount, Kind: sluice.ColumnAggregation},
		sluice.ColumnEdge{Target: adsCopy, Source: dwsAmount, Kind: sluice.ColumnDirect},
		sluice.ColumnEdge{Target: adsShop, Source: dwsShop, Kind: sluice.ColumnDirect})
	c := x.file(t, "c", x.folder.Path, 10, "1001")
	commitEdges(c, pid, sluice.ColumnEdge{Target: adsAmount, Source: dwsAmount, Kind: sluice.ColumnDirect})
	commitEdges(c, pid, sluice.ColumnEdge{Target: adsAmount, Source: ordPrice, Kind: sluice.ColumnDirect})
	// d, in another project, reads dws_orders.amount too.
	other := NewProject(t, db, "other", Seed(t, db, "bob", sluice.UserMember))
	w := &sluice.Workflow{ProjectID: other.ID, Name: "sales", Owner: "1001", UseType: sluice.UseNormal}
	must(t, db.CreateWorkflow(ctx, w))
	folder, _, err := db.CreateFolders(ctx, other.ID, w.ID, "Business Flow", "sales/MaxCompute/ads")
	must(t, err)
	d := &sluice.File{ProjectID: other.ID, Name: "d", FolderPath: folder.Path, Type: 10, Owner: "1001", CreateUser: "1001",
		LastEditUser: "1001", Content: "SELECT 1", UseType: sluice.UseNormal, ParentID: -1}
	must(t, db.CreateFile(ctx, d))
	commitEdges(d, other.ID, sluice.ColumnEdge{Target: "odps.other.t.amount", Source: dwsAmount, Kind: sluice.ColumnDirect})

	node := func(f *sluice.File) int64 {
		t.Helper()
		got, err := db.FindFile(ctx, f.ProjectID, f.ID)
		must(t, err)
		return got.NodeID
	}
	bn, cn, dn := node(b), node(c), node(d)
	show := func(m map[string][]*sluice.Node) string {
		s := ""
		for _, g := range slices.Sorted(maps.Keys(m)) {
			s += fmt.Sprintf("%s:%v ", g, nodeIDs(m[g]))
		}
		return s
	}
	check := func(what string, got map[string][]*sluice.Node, err error, want map[string][]int64) {
		t.Helper()
		must(t, err)
		wantM := map[string][]*sluice.Node{}
		for g, ids := range want {
			for _, id := range ids {
				wantM[g] = append(wantM[g], &sluice.Node{ID: id})
			}
		}
		if show(got) != show(wantM) {
			t.Fatalf("%s = %s, want %s", what, show(got), show(wantM))
		}
		for _, ns := range got {
			for _, n := range ns {
				if n.Env != sluice.EnvDev || n.FileID == 0 || n.Name == "" {
					t.Fatalf("%s: node %+v is not a DEV node read whole", what, n)
				}
			}
		}
	}

	cols := []string{dwsAmount, dwsShop, ordPrice, "odps.dev.nobody.reads"}
	got, err := db.FindColumnReaders(ctx, cols, nil)
	check("column readers", got, err, map[string][]int64{dwsAmount: {bn, dn}, dwsShop: {bn}, ordPrice: {node(a), cn}})
	got, err = db.FindColumnReaders(ctx, cols, []int64{pid})
	check("column readers in dev", got, err, map[string][]int64{dwsAmount: {bn}, dwsShop: {bn}, ordPrice: {node(a), cn}})
	got, err = db.FindColumnReaders(ctx, cols, []int64{other.ID})
	check("column readers in other", got, err, map[string][]int64{dwsAmount: {dn}})
	got, err = db.FindColumnReaders(ctx, cols, []int64{})
	check("column readers in no project", got, err, map[string][]int64{})
	got, err = db.FindColumnReaders(ctx, nil, nil)
	check("no columns", got, err, map[string][]int64{})
	tables := []string{dwsTable, odsTable, "odps.dev.ads_orders"}
	got, err = db.FindTableReaders(ctx, tables, nil)
	check("table readers", got, err, map[string][]int64{dwsTable: {bn, dn}, odsTable: {node(a), cn}})
	got, err = db.FindTableReaders(ctx, tables, []int64{other.ID})
	check("table readers in other", got, err, map[string][]int64{dwsTable: {dn}})
}
