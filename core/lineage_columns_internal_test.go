package core

import (
	"slices"
	"testing"

	"github.com/sluice-dev/sluice"
)

// TestColumnEdges: how the seam turns the extractor's TABLE.COLUMN names into column guids, resolved as table
// guids are.
func TestColumnEdges(t *testing.T) {
	for _, tc := range []struct {
		target  string
		sources []string
		kind    string
		want    []sluice.ColumnEdge
	}{
		{"dws_orders.Amount", []string{"ods_orders.price", "other.ods_orders.qty"}, sluice.ColumnExpression, []sluice.ColumnEdge{
			{Target: "odps.dw.dws_orders.amount", Source: "odps.dw.ods_orders.price", Kind: "expression"},
			{Target: "odps.dw.dws_orders.amount", Source: "odps.other.ods_orders.qty", Kind: "expression"}}},
		{"P.S.T.ds", nil, sluice.ColumnConstant, []sluice.ColumnEdge{{Target: "odps.p.s.t.ds", Kind: "constant"}}},
		// A source that does not resolve is dropped, a target that does not resolve drops the entry.
		{"t.c", []string{"nocolumn", "a.b.c.d.e", "u.c"}, sluice.ColumnDirect, []sluice.ColumnEdge{{Target: "odps.dw.t.c", Source: "odps.dw.u.c", Kind: "direct"}}},
		{"nocolumn", []string{"u.c"}, sluice.ColumnDirect, nil},
		{"t.", []string{"u.c"}, sluice.ColumnDirect, nil},
	} {
		got := columnEdges(tc.target, tc.sources, tc.kind, "DW")
		if !slices.Equal(got, tc.want) {
			t.Errorf("columnEdges(%q, %q) = %+v, want %+v", tc.target, tc.sources, got, tc.want)
		}
		for _, e := range got {
			if c, err := sluice.ParseColumnGuid(e.Target); err != nil || c.Guid() != e.Target {
				t.Errorf("target %q does not parse back: %v, %v", e.Target, c, err)
			}
		}
	}
	for _, bad := range []string{"odps.p", "odps.p.t.", "mysql.p.t.c", "odps.a.b.c.d.e", "odps.p.t.c c"} {
		if _, err := sluice.ParseColumnGuid(bad); sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("ParseColumnGuid(%q) = %v, want EINVALID", bad, err)
		}
	}
}
