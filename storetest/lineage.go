package storetest

import (
	"context"
	"testing"

	"github.com/sluice-dev/sluice"
)

// fixedLineage is a version's lineage of the given guids.
func fixedLineage(inputs, outputs []string, errs ...sluice.LineageError) *sluice.VersionLineage {
	return &sluice.VersionLineage{Parsed: true, Dialect: "odps", Inputs: inputs, Outputs: outputs, Errors: errs}
}

func nodeIDs(nodes []*sluice.Node) []int64 {
	ids := []int64{}
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	return ids
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testLineage: lineage recorded at commit, what is current, catalogue, neighbours, graph and relations.
func testLineage(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	const ods, dwd, ads = "odps.dev.ods", "odps.dev.dwd", "odps.dev.ads"

	a := x.file(t, "load", x.folder.Path, 10, "1001")
	va, _, err := commit(ctx, db, pid, a.ID, "1001", "",
		fixedLineage([]string{ods}, []string{dwd}, sluice.LineageError{Statement: 2, Line: 3, Column: 1, Reason: "bad", Partial: true}))
	must(t, err)
	b := x.file(t, "agg", x.folder.Path, 10, "1001")
	vb, _, err := commit(ctx, db, pid, b.ID, "1001", "", fixedLineage([]string{dwd}, []string{ads}))
	must(t, err)

	// The node's schedule gained AUTO entries; the draft did not.
	node, err := db.FindNode(ctx, va.NodeID, sluice.EnvDev)
	must(t, err)
	var autoOut, autoIn bool
	for _, o := range node.Schedule.Outputs {
		autoOut = autoOut || (o.Name == "dev.dwd" && o.RefTable == dwd && o.ParseType == "AUTO")
	}
	for _, in := range node.Schedule.Inputs {
		autoIn = autoIn || (in.Name == "dev.ods" && in.ParseType == "AUTO")
	}
	draft, err := db.FindFile(ctx, pid, a.ID)
	must(t, err)
	if !autoOut || !autoIn || len(draft.Schedule.Inputs) != 0 {
		t.Fatalf("node schedule = %+v, draft = %+v", node.Schedule, draft.Schedule)
	}

	got, err := db.FindProducingNodes(ctx, dwd, nil)
	must(t, err)
	if !sameIDs(nodeIDs(got), []int64{va.NodeID}) {
		t.Fatalf("producers of dwd = %v", nodeIDs(got))
	}
	if got, _ := db.FindProducingNodes(ctx, dwd, []int64{pid + 100}); len(got) != 0 {
		t.Fatalf("producers outside the filter = %v", nodeIDs(got))
	}
	if got, _ := db.FindProducingNodes(ctx, ods, nil); len(got) != 0 {
		t.Fatalf("producers of a read-only table = %v", nodeIDs(got))
	}
	cats, err := db.FindTableCatalogues(ctx, ods)
	must(t, err)
	if len(cats) != 1 || cats[0].ProjectID != pid || cats[0].Ref.Name != "ods" {
		t.Fatalf("catalogue = %+v", cats)
	}

	parents, err := db.FindNodeNeighbours(ctx, vb.NodeID, sluice.EnvDev, sluice.Upstream, nil)
	must(t, err)
	children, err := db.FindNodeNeighbours(ctx, va.NodeID, sluice.EnvDev, sluice.Downstream, nil)
	must(t, err)
	if !sameIDs(nodeIDs(parents), []int64{va.NodeID}) || !sameIDs(nodeIDs(children), []int64{vb.NodeID}) {
		t.Fatalf("parents = %v, children = %v", nodeIDs(parents), nodeIDs(children))
	}

	links, more, err := db.FindTableLinks(ctx, sluice.LineageQuery{Guid: dwd, Direction: sluice.Downstream, Limit: 10})
	must(t, err)
	if more || len(links) != 1 || links[0].Guid != ads || !links[0].Auto {
		t.Fatalf("down links = %+v", links)
	}

	// Manual relation ads -> rpt; paging over two downstream neighbours of dwd.
	r := &sluice.LineageRelation{ProjectID: pid, Src: ads, Dest: "odps.dev.rpt", Type: "sql", CreatedBy: "1001"}
	must(t, db.CreateLineageRelation(ctx, r))
	wantCode(t, db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: pid, Src: ads, Dest: "odps.dev.rpt"}), sluice.ECONFLICT)
	must(t, db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: pid, Src: dwd, Dest: "odps.dev.aaa"}))
	links, more, err = db.FindTableLinks(ctx, sluice.LineageQuery{Guid: dwd, Direction: sluice.Downstream, Limit: 1})
	must(t, err)
	if !more || len(links) != 1 || links[0].Guid != "odps.dev.aaa" || links[0].Relation == nil {
		t.Fatalf("page 1 = %+v %v", links, more)
	}
	links, more, err = db.FindTableLinks(ctx, sluice.LineageQuery{Guid: dwd, Direction: sluice.Downstream, Limit: 1, After: links[0].Guid})
	must(t, err)
	if more || len(links) != 1 || links[0].Guid != ads {
		t.Fatalf("page 2 = %+v %v", links, more)
	}

	// The graph down from ods: ods -> load -> dwd -> agg -> ads -> rpt, and dwd -> aaa.
	g, err := db.FindLineageGraph(ctx, sluice.GraphQuery{Guid: ods, Direction: sluice.Downstream, Depth: 5, Limit: 100})
	must(t, err)
	if g.Truncated || len(g.Nodes) != 7 || len(g.Edges) != 6 {
		t.Fatalf("graph = %+v", g)
	}
	g, err = db.FindLineageGraph(ctx, sluice.GraphQuery{Guid: ods, Direction: sluice.Downstream, Depth: 5, Limit: 3})
	must(t, err)
	if !g.Truncated || len(g.Nodes) != 3 {
		t.Fatalf("truncated graph = %+v", g)
	}
	g, err = db.FindLineageGraph(ctx, sluice.GraphQuery{Guid: "odps.dev.rpt", Direction: sluice.Upstream, Depth: 1, Limit: 100})
	must(t, err)
	if len(g.Nodes) != 2 || g.Edges[0] != (sluice.GraphEdge{From: ads, To: "odps.dev.rpt"}) || !g.DepthLimited {
		t.Fatalf("up graph = %+v", g)
	}
	// The depth limit is flagged only where lineage goes on beyond it.
	for _, tc := range []struct {
		depth int
		want  bool
	}{{1, true}, {2, true}, {3, false}, {5, false}} {
		g, err = db.FindLineageGraph(ctx, sluice.GraphQuery{Guid: ods, Direction: sluice.Downstream, Depth: tc.depth, Limit: 100})
		must(t, err)
		if g.DepthLimited != tc.want || g.Truncated {
			t.Errorf("depth %d: DepthLimited %v, want %v (%d nodes)", tc.depth, g.DepthLimited, tc.want, len(g.Nodes))
		}
	}

	rs, err := db.FindLineageRelations(ctx, ads, "")
	must(t, err)
	if len(rs) != 1 || rs[0].Guid != r.Guid {
		t.Fatalf("relations = %+v", rs)
	}
	must(t, db.DeleteLineageRelation(ctx, r.Guid))
	wantCode(t, db.DeleteLineageRelation(ctx, r.Guid), sluice.ENOTFOUND)

	// As of version 1: the recorded lineage and errors. A re-commit without the write drops the producer.
	l, err := db.FindVersionLineage(ctx, pid, a.ID, 1)
	must(t, err)
	if !l.Parsed || len(l.Inputs) != 1 || l.Outputs[0] != dwd || len(l.Errors) != 1 || l.Errors[0].Reason != "bad" || !l.Errors[0].Partial {
		t.Fatalf("version lineage = %+v", l)
	}
	_, _, err = commit(ctx, db, pid, a.ID, "1001", "", fixedLineage([]string{ods}, nil))
	must(t, err)
	if got, _ := db.FindProducingNodes(ctx, dwd, nil); len(got) != 0 {
		t.Fatalf("producers after re-commit = %v", nodeIDs(got))
	}
	if l, err := db.FindVersionLineage(ctx, pid, a.ID, 1); err != nil || len(l.Outputs) != 1 {
		t.Fatalf("version 1 after re-commit = %+v, %v", l, err)
	}
	// A deleted file drops out.
	_, err = remove(ctx, db, pid, b.ID, "1001")
	must(t, err)
	if got, _ := db.FindProducingNodes(ctx, ads, nil); len(got) != 0 {
		t.Fatalf("producers after delete = %v", nodeIDs(got))
	}
	_, err = db.FindVersionLineage(ctx, pid, a.ID, 99)
	wantCode(t, err, sluice.ENOTFOUND)
	must(t, db.DeleteProject(ctx, pid))
}
