package core

import (
	"reflect"
	"testing"

	"github.com/sluice-dev/sluice"
)

func TestDiffLineage(t *testing.T) {
	edge := func(target, source, kind string) sluice.ColumnEdge {
		return sluice.ColumnEdge{Target: target, Source: source, Kind: kind}
	}
	from := &sluice.VersionLineage{
		Inputs:  []string{"odps.p.a", "odps.p.b", "odps.p.b"}, // a repeat is one table
		Outputs: []string{"odps.p.t"},
		Columns: []sluice.ColumnEdge{edge("odps.p.t.x", "odps.p.a.x", "direct"), edge("odps.p.t.y", "odps.p.b.y", "direct"),
			edge("odps.p.t.ds", "", "constant")},
	}
	to := &sluice.VersionLineage{
		Inputs:  []string{"odps.p.b", "odps.p.t"},
		Outputs: []string{"odps.p.t", "odps.p.u"},
		Columns: []sluice.ColumnEdge{edge("odps.p.t.y", "odps.p.b.y", "aggregation"), edge("odps.p.t.ds", "", "constant"),
			edge("odps.p.u.z", "odps.p.t.y", "expression")},
	}
	tables, columns := diffLineage(from, to)
	wantTables := []sluice.TableEdgeChange{
		{Direction: sluice.EdgeReads, Table: "odps.p.a"},
		{Added: true, Direction: sluice.EdgeReads, Table: "odps.p.t"},
		{Added: true, Direction: sluice.EdgeWrites, Table: "odps.p.u"},
	}
	wantColumns := []sluice.ColumnEdgeChange{
		{Edge: edge("odps.p.t.x", "odps.p.a.x", "direct")},
		{Edge: edge("odps.p.t.y", "odps.p.b.y", "direct")},
		{Added: true, Edge: edge("odps.p.t.y", "odps.p.b.y", "aggregation")},
		{Added: true, Edge: edge("odps.p.u.z", "odps.p.t.y", "expression")},
	}
	if !reflect.DeepEqual(tables, wantTables) {
		t.Errorf("tables = %+v\nwant %+v", tables, wantTables)
	}
	if !reflect.DeepEqual(columns, wantColumns) {
		t.Errorf("columns = %+v\nwant %+v", columns, wantColumns)
	}
	// The other way round, every change turns over.
	back, backColumns := diffLineage(to, from)
	if len(back) != len(tables) || len(backColumns) != len(columns) || back[0].Added == tables[0].Added || backColumns[1].Added || backColumns[1].Edge.Kind != "aggregation" {
		t.Errorf("reversed = %+v %+v", back, backColumns)
	}
	// Equal sides differ in nothing, and the answer is never nil (an empty list on the wire).
	tables, columns = diffLineage(to, to)
	if tables == nil || columns == nil || len(tables)+len(columns) != 0 {
		t.Errorf("equal sides = %+v %+v", tables, columns)
	}
}
