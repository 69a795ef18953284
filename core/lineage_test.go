package core_test

import (
	"testing"

	"github.com/sluice-dev/sluice"
)

// TestService_Lineage: commit-time lineage through the core, and who sees and changes what.
func TestService_Lineage(t *testing.T) {
	fx := newFilesFixture(t)
	s, ref := fx.s, fx.ref
	ctx := as(fx.dave)
	f, err := s.CreateFile(ctx, ref, sluice.File{Name: "load", Type: 10, AutoParsing: true,
		Content: "INSERT OVERWRITE TABLE dwd SELECT * FROM other_proj.ods;\nSELECT FROM ((;"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitFile(ctx, ref, f.ID, ""); err != nil {
		t.Fatal(err)
	}
	dwd := sluice.TableRef{Project: "dw_proj", Name: "dwd"}
	// A viewer reads producers; the lineage of version 1 keeps the parse error.
	nodes, err := s.FindProducingNodes(as(fx.vera), dwd)
	if err != nil || len(nodes) != 1 || nodes[0].Name != "load" {
		t.Fatalf("producers = %v, %v", nodes, err)
	}
	l, err := s.FindVersionLineage(as(fx.vera), ref, f.ID, 1)
	if err != nil || !l.Parsed || len(l.Errors) != 1 || l.Inputs[0] != "odps.other_proj.ods" || l.Outputs[0] != "odps.dw_proj.dwd" {
		t.Fatalf("version lineage = %+v, %v", l, err)
	}
	// An outsider is forbidden; an unknown table is not found.
	otto, _ := s.CreateUser(as(fx.root), "otto", "")
	_, err = s.FindProducingNodes(as(otto), dwd)
	wantCode(t, err, sluice.EFORBIDDEN)
	_, err = s.FindProducingNodes(as(fx.vera), sluice.TableRef{Project: "dw_proj", Name: "nope"})
	wantCode(t, err, sluice.ENOTFOUND)

	// Relations need Write on the dest's project (or src's when dest's is not a Sluice project).
	rpt := sluice.TableRef{Project: "dw_proj", Name: "rpt"}
	_, err = s.CreateLineageRelation(as(fx.vera), dwd, rpt, "sql", "")
	wantCode(t, err, sluice.EFORBIDDEN)
	r, err := s.CreateLineageRelation(ctx, dwd, rpt, "sql", "")
	if err != nil || r.ProjectID == 0 {
		t.Fatalf("relation = %+v, %v", r, err)
	}
	_, err = s.CreateLineageRelation(ctx, sluice.TableRef{Project: "x1", Name: "a"}, sluice.TableRef{Project: "x2", Name: "b"}, "", "")
	wantCode(t, err, sluice.EFORBIDDEN)
	if _, err := s.DeleteLineageRelation(as(fx.vera), dwd, rpt, ""); sluice.ErrorCode(err) != sluice.EFORBIDDEN {
		t.Fatalf("viewer delete: %v", err)
	}
	if ok, err := s.DeleteLineageRelation(ctx, dwd, rpt, r.Guid); !ok || err != nil {
		t.Fatalf("delete = %v, %v", ok, err)
	}
	_, err = s.FindLineageGraph(ctx, sluice.GraphQuery{Guid: "odps.dw_proj.dwd", Direction: sluice.Upstream, Depth: 99})
	wantCode(t, err, sluice.EINVALID)
	g, err := s.FindLineageGraph(ctx, sluice.GraphQuery{Guid: "odps.dw_proj.dwd", Direction: sluice.Upstream})
	if err != nil || len(g.Nodes) != 3 {
		t.Fatalf("graph = %+v, %v", g, err)
	}
}
