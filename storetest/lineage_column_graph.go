package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// columnGraphString renders a column graph compactly for comparison: nodes as guid@depth, edges as
// from>to:kind[files], the flags.
func columnGraphString(g *sluice.ColumnGraph, name func(int64) string) string {
	var b strings.Builder
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "%s@%d ", strings.TrimPrefix(n.Guid, "odps."), n.Depth)
	}
	b.WriteString("|")
	for _, e := range g.Edges {
		var files []string
		for _, f := range e.Files {
			files = append(files, name(f))
		}
		fmt.Fprintf(&b, " %s>%s:%s%v", strings.TrimPrefix(e.From, "odps."), strings.TrimPrefix(e.To, "odps."), e.Kind, files)
	}
	if g.Truncated {
		b.WriteString(" truncated")
	}
	if g.DepthLimited {
		b.WriteString(" depth-limited")
	}
	return b.String()
}

// testColumnGraph: the multi-hop column graph through current versions — both directions, depth and limit
// flags, several roots, kinds and files of an edge several files make, the project filter — and as of a time,
// across a re-commit and a delete.
func testColumnGraph(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	x.clock.Set(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	tick := func() time.Time { return x.clock.Advance(time.Minute) }

	// A second project whose file also makes b.x -> c.x, with another kind.
	w := &sluice.Workflow{ProjectID: NewProject(t, db, "other", Seed(t, db, "bob", sluice.UserMember)).ID, Name: "w", Owner: "1002", UseType: sluice.UseNormal}
	must(t, db.CreateWorkflow(ctx, w))
	folder, _, err := db.CreateFolders(ctx, w.ProjectID, w.ID, "Business Flow", "w/MaxCompute")
	must(t, err)
	y := &fileFixture{db: db, clock: x.clock, project: &sluice.Project{ID: w.ProjectID}, flow: w, folder: folder}

	const (
		ax, aw, bx, bz = "odps.dev.a.x", "odps.dev.a.w", "odps.dev.b.x", "odps.dev.b.z"
		cx, cy, dx, dk = "odps.dev.c.x", "odps.dev.c.y", "odps.dev.d.x", "odps.dev.d.k"
	)
	edge := func(target, source, kind string) sluice.ColumnEdge {
		return sluice.ColumnEdge{Target: target, Source: source, Kind: kind}
	}
	names := map[int64]string{}
	file := func(x *fileFixture, name string, edges ...sluice.ColumnEdge) *sluice.File {
		t.Helper()
		f := x.file(t, name, x.folder.Path, 10, "1001")
		names[f.ID] = name
		tick()
		v, _, err := commit(ctx, db, x.project.ID, f.ID, "1001", "", columnLineage(edges...))
		must(t, err)
		f.NodeID = v.NodeID
		return f
	}
	f1 := file(x, "f1", edge(bx, ax, sluice.ColumnDirect))
	t1 := x.clock.Now()
	f2 := file(x, "f2", edge(cx, bx, sluice.ColumnDirect), edge(cx, bz, sluice.ColumnExpression), edge(cy, bx, sluice.ColumnExpression))
	f3 := file(x, "f3", edge(dx, cx, sluice.ColumnDirect), edge(dx, dx, sluice.ColumnDirect), edge(dk, "", sluice.ColumnConstant))
	f4 := file(y, "f4", edge(cx, bx, sluice.ColumnAggregation))
	name := func(id int64) string { return names[id] }

	graph := func(q sluice.ColumnGraphQuery) *sluice.ColumnGraph {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		g, err := db.FindColumnGraph(ctx, q)
		must(t, err)
		return g
	}
	check := func(what string, q sluice.ColumnGraphQuery, want string) *sluice.ColumnGraph {
		t.Helper()
		g := graph(q)
		if got := columnGraphString(g, name); got != want {
			t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
		}
		return g
	}
	down := func(depth int, guids ...string) sluice.ColumnGraphQuery {
		return sluice.ColumnGraphQuery{Guids: guids, Direction: sluice.Downstream, Depth: depth}
	}
	up := func(depth int, guids ...string) sluice.ColumnGraphQuery {
		return sluice.ColumnGraphQuery{Guids: guids, Direction: sluice.Upstream, Depth: depth}
	}

	// Each column of a graph the walk went on from has, as edges, exactly the neighbours FindColumnLinks gives
	// it, with the same kinds: the two read current lineage independently.
	agrees := func(q sluice.ColumnGraphQuery) {
		t.Helper()
		g := graph(q)
		if g.Truncated {
			t.Fatalf("%+v: truncated", q)
		}
		for _, n := range g.Nodes {
			if n.Depth >= q.Depth {
				continue
			}
			links, _, err := db.FindColumnLinks(ctx, sluice.ColumnQuery{Guid: n.Guid, Direction: q.Direction, PageSize: 100, ProjectIDs: q.ProjectIDs})
			must(t, err)
			want, got := linkStrings(links), []string{}
			for _, e := range g.Edges {
				switch {
				case q.Direction == sluice.Upstream && e.To == n.Guid:
					got = append(got, e.From+":"+e.Kind)
				case q.Direction == sluice.Downstream && e.From == n.Guid:
					got = append(got, e.To+":"+e.Kind)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%+v: edges of %s = %v, FindColumnLinks %v", q, n.Guid, got, want)
			}
		}
	}
	agreesAll := func() {
		t.Helper()
		for _, dir := range []sluice.LineageDirection{sluice.Upstream, sluice.Downstream} {
			for _, ids := range [][]int64{nil, {pid}, {w.ProjectID}} {
				for _, root := range []string{ax, aw, bx, cx, dx} {
					agrees(sluice.ColumnGraphQuery{Guids: []string{root}, Direction: dir, Depth: 4, ProjectIDs: ids})
				}
			}
		}
	}

	// Downstream from a.x: the files disagreeing on b.x -> c.x give the first kind by name; the constant and
	// the self-loop of f3 are no edges.
	g := check("down", down(5, ax),
		"dev.a.x@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 dev.d.x@3 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
			" dev.b.x>dev.c.y:expression[f2] dev.c.x>dev.d.x:direct[f3]")
	if len(g.Roots) != 1 || g.Roots[0] != ax || g.Direction != sluice.Downstream || g.Depth != 5 || !g.AsOf.IsZero() {
		t.Fatalf("graph header = %+v", g)
	}
	var got []string
	for _, f := range g.Files {
		got = append(got, fmt.Sprintf("%s:%d:v%d:%v", f.Name, f.ProjectID, f.Version, f.NodeID != 0))
	}
	want := []string{fmt.Sprintf("f1:%d:v1:true", pid), fmt.Sprintf("f2:%d:v1:true", pid), fmt.Sprintf("f3:%d:v1:true", pid),
		fmt.Sprintf("f4:%d:v1:true", w.ProjectID)}
	if !slices.Equal(got, want) || g.Files[0].ID != f1.ID || g.Files[3].ID != f4.ID || g.Files[0].NodeID != f1.NodeID {
		t.Fatalf("files = %v (%+v), want %v", got, g.Files, want)
	}
	// Upstream, edges still point along the data flow.
	check("up", up(5, dx),
		"dev.d.x@0 dev.c.x@1 dev.b.x@2 dev.b.z@2 dev.a.x@3 | dev.c.x>dev.d.x:direct[f3] dev.b.x>dev.c.x:aggregation[f2 f4]"+
			" dev.b.z>dev.c.x:expression[f2] dev.a.x>dev.b.x:direct[f1]")
	// Depth: limited exactly when the last frontier has neighbours.
	check("depth 2", down(2, ax), "dev.a.x@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
		" dev.b.x>dev.c.y:expression[f2] depth-limited")
	check("depth 3", down(3, ax), "dev.a.x@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 dev.d.x@3 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
		" dev.b.x>dev.c.y:expression[f2] dev.c.x>dev.d.x:direct[f3]")
	check("leaf", down(1, dx), "dev.d.x@0 |")
	check("constant", up(1, dk), "dev.d.k@0 |")
	// Limit: nodes in the order found, then truncated.
	q := down(5, ax)
	q.Limit = 3
	check("limit 3", q, "dev.a.x@0 dev.b.x@1 dev.c.x@2 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4] truncated")
	q.Limit = 1
	check("limit 1", q, "dev.a.x@0 | truncated")
	// Several roots walk together (each at depth 0, once however often given); edges between them count.
	check("roots", up(1, cy, cx, cy, bx),
		"dev.c.y@0 dev.c.x@0 dev.b.x@0 dev.a.x@1 dev.b.z@1 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
			" dev.b.z>dev.c.x:expression[f2] dev.b.x>dev.c.y:expression[f2]")
	// The project filter goes by the file's project.
	q = down(5, ax)
	q.ProjectIDs = []int64{pid}
	check("project", q, "dev.a.x@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 dev.d.x@3 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:direct[f2]"+
		" dev.b.x>dev.c.y:expression[f2] dev.c.x>dev.d.x:direct[f3]")
	q.ProjectIDs = []int64{w.ProjectID}
	check("other project", q, "dev.a.x@0 |")
	q.ProjectIDs = []int64{}
	check("no project", q, "dev.a.x@0 |")

	agreesAll()

	// History: f1 re-committed from a.w, then f2 deleted.
	t4 := x.clock.Now()
	tick()
	_, _, err = commit(ctx, db, pid, f1.ID, "1001", "", columnLineage(edge(bx, aw, sluice.ColumnExpression)))
	must(t, err)
	t5 := x.clock.Now()
	tick()
	_, err = remove(ctx, db, pid, f2.ID, "1001")
	must(t, err)
	check("now", up(5, cx), "dev.c.x@0 dev.b.x@1 dev.a.w@2 | dev.b.x>dev.c.x:aggregation[f4] dev.a.w>dev.b.x:expression[f1]")
	asOf := func(at time.Time, q sluice.ColumnGraphQuery) sluice.ColumnGraphQuery {
		q.AsOf = at
		return q
	}
	// Before f1's first commit nothing; at its commit (inclusive) version 1; before the re-commit the whole
	// old graph, f2 counted though it has no node now; after it version 2; after the delete no f2.
	check("before", asOf(t1.Add(-time.Millisecond), down(5, ax)), "dev.a.x@0 |")
	check("at t1", asOf(t1, down(5, ax)), "dev.a.x@0 dev.b.x@1 | dev.a.x>dev.b.x:direct[f1]")
	g = check("at t4", asOf(t4, down(5, ax)),
		"dev.a.x@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 dev.d.x@3 | dev.a.x>dev.b.x:direct[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
			" dev.b.x>dev.c.y:expression[f2] dev.c.x>dev.d.x:direct[f3]")
	if !g.AsOf.Equal(t4) || len(g.Files) != 4 || g.Files[0].Version != 1 || g.Files[1].ID != f2.ID || g.Files[1].NodeID != 0 ||
		g.Files[1].Name != "f2" || g.Files[0].NodeID != f1.NodeID || g.Files[2].NodeID != f3.NodeID {
		t.Fatalf("files as of t4 = %+v", g.Files)
	}
	check("at t5", asOf(t5, down(5, ax)), "dev.a.x@0 |")
	g = check("at t5 from a.w", asOf(t5, down(5, aw)),
		"dev.a.w@0 dev.b.x@1 dev.c.x@2 dev.c.y@2 dev.d.x@3 | dev.a.w>dev.b.x:expression[f1] dev.b.x>dev.c.x:aggregation[f2 f4]"+
			" dev.b.x>dev.c.y:expression[f2] dev.c.x>dev.d.x:direct[f3]")
	if g.Files[0].Version != 2 {
		t.Fatalf("f1 as of t5 = %+v", g.Files[0])
	}
	check("after delete", asOf(x.clock.Now(), down(5, aw)), "dev.a.w@0 dev.b.x@1 dev.c.x@2 dev.d.x@3 | dev.a.w>dev.b.x:expression[f1]"+
		" dev.b.x>dev.c.x:aggregation[f4] dev.c.x>dev.d.x:direct[f3]")
	// As of a time, the project filter still goes by the file's project.
	q = asOf(t4, down(5, ax))
	q.ProjectIDs = []int64{w.ProjectID}
	check("as of, other project", q, "dev.a.x@0 |")
	q = asOf(t4, up(1, cx))
	q.ProjectIDs = []int64{w.ProjectID}
	check("as of, other project up", q, "dev.c.x@0 dev.b.x@1 | dev.b.x>dev.c.x:aggregation[f4]")
	agreesAll()
}
