package core_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// TestService_ColumnGraph: the column graph through the core — roots parsed and authorized like
// FindColumnLineage's column, only readable projects' files counted, bad queries refused.
func TestService_ColumnGraph(t *testing.T) {
	fx := newFilesFixture(t)
	s, ref := fx.s, fx.ref
	commit := func(u *sluice.User, ref sluice.ProjectRef, name, sql string) {
		t.Helper()
		f, err := s.CreateFile(as(u), ref, sluice.File{Name: name, Type: 10, AutoParsing: true, Content: sql}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitFile(as(u), ref, f.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	commit(fx.dave, ref, "b", "INSERT OVERWRITE TABLE b SELECT x, y FROM a;")
	commit(fx.dave, ref, "c", "INSERT OVERWRITE TABLE c SELECT x + y AS z FROM b;")
	// A project vera does not read makes d from c.
	other := sluice.ProjectByName("other_proj")
	if _, err := s.CreateProject(as(fx.alice), sluice.ProjectCreate{Name: "other_proj"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateWorkflow(as(fx.alice), other, sluice.Workflow{Name: "w"}); err != nil {
		t.Fatal(err)
	}
	commit(fx.alice, other, "d", "INSERT OVERWRITE TABLE dw_proj.d SELECT z FROM dw_proj.c;")

	nodes := func(g *sluice.ColumnGraph) string {
		var out []string
		for _, n := range g.Nodes {
			out = append(out, fmt.Sprintf("%s@%d", strings.TrimPrefix(n.Guid, "odps.dw_proj."), n.Depth))
		}
		return strings.Join(out, " ")
	}
	g, err := s.FindColumnGraph(as(fx.vera), sluice.ColumnGraphQuery{Guids: []string{"ODPS.DW_PROJ.C.Z"}, Direction: sluice.Upstream})
	if err != nil {
		t.Fatal(err)
	}
	if got := nodes(g); got != "c.z@0 b.x@1 b.y@1 a.x@2 a.y@2" || !slices.Equal(g.Roots, []string{"odps.dw_proj.c.z"}) ||
		g.Depth != sluice.DefaultGraphDepth || len(g.Files) != 2 || g.Edges[0].Kind != sluice.ColumnExpression {
		t.Fatalf("vera's graph up from c.z = %s, %+v", got, g)
	}
	// Downstream, the file of other_proj counts for alice, who reads it, and not for vera.
	down := sluice.ColumnGraphQuery{Guids: []string{"odps.dw_proj.b.x"}, Direction: sluice.Downstream, Depth: 5}
	if g, err = s.FindColumnGraph(as(fx.vera), down); err != nil || nodes(g) != "b.x@0 c.z@1" {
		t.Fatalf("vera's graph down = %v, %v", g, err)
	}
	if g, err = s.FindColumnGraph(as(fx.alice), down); err != nil || nodes(g) != "b.x@0 c.z@1 d.z@2" {
		t.Fatalf("alice's graph down = %v, %v", g, err)
	}
	// As of a time before any commit: the roots alone.
	old := down
	old.AsOf = time.Unix(1, 0)
	if g, err = s.FindColumnGraph(as(fx.alice), old); err != nil || nodes(g) != "b.x@0" || !g.AsOf.Equal(old.AsOf) {
		t.Fatalf("graph as of 1970 = %v, %v", g, err)
	}

	// An outsider may read none of the roots' tables; one unknown table fails the query.
	otto, err := s.CreateUser(as(fx.root), "otto", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.FindColumnGraph(as(otto), down)
	wantCode(t, err, sluice.EFORBIDDEN)
	_, err = s.FindColumnGraph(as(fx.vera), sluice.ColumnGraphQuery{Guids: []string{"odps.dw_proj.b.x", "odps.dw_proj.nope.x"}, Direction: sluice.Upstream})
	wantCode(t, err, sluice.ENOTFOUND)
	many := make([]string, sluice.MaxColumnGraphRoots+1)
	for i := range many {
		many[i] = fmt.Sprintf("odps.dw_proj.b.c%d", i)
	}
	for _, q := range []sluice.ColumnGraphQuery{
		{Guids: []string{"odps.dw_proj.b"}, Direction: sluice.Upstream},
		{Guids: []string{"odps.dw_proj.b.x", "not a guid"}, Direction: sluice.Upstream},
		{Direction: sluice.Upstream},
		{Guids: many, Direction: sluice.Upstream},
		{Guids: []string{"odps.dw_proj.b.x"}, Direction: "sideways"},
		{Guids: []string{"odps.dw_proj.b.x"}, Direction: sluice.Upstream, Depth: sluice.MaxGraphDepth + 1},
		{Guids: []string{"odps.dw_proj.b.x"}, Direction: sluice.Upstream, Depth: -1},
		{Guids: []string{"odps.dw_proj.b.x"}, Direction: sluice.Upstream, Limit: sluice.MaxGraphLimit + 1},
	} {
		if _, err := s.FindColumnGraph(as(fx.vera), q); sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("%d roots, %q, depth %d, limit %d: %v, want EINVALID", len(q.Guids), q.Direction, q.Depth, q.Limit, err)
		}
	}
	// MaxColumnGraphRoots roots are fine (columns without lineage are roots alone).
	if g, err = s.FindColumnGraph(as(fx.vera), sluice.ColumnGraphQuery{Guids: many[1:], Direction: sluice.Upstream, Limit: 2000}); err != nil || len(g.Nodes) != sluice.MaxColumnGraphRoots {
		t.Fatalf("%d roots: %v", sluice.MaxColumnGraphRoots, err)
	}
}
