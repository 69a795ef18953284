package sluice

import (
	"reflect"
	"testing"
)

func TestDeriveLabels(t *testing.T) {
	edge := func(from, to string) ColumnGraphEdge { return ColumnGraphEdge{From: from, To: to} }
	for _, tc := range []struct {
		name     string
		edges    []ColumnGraphEdge
		declared map[string]int
		want     map[string]DerivedLabel
	}{
		{"Direct", []ColumnGraphEdge{edge("u.phone", "o.phone"), edge("u.id", "o.id")}, map[string]int{"u.phone": 3},
			map[string]DerivedLabel{"o.phone": {Label: 3, Source: "u.phone"}}},
		{"TwoHops", []ColumnGraphEdge{edge("u.phone", "a.p"), edge("a.p", "b.p")}, map[string]int{"u.phone": 3, "a.p": 1},
			map[string]DerivedLabel{"a.p": {Label: 3, Source: "u.phone"}, "b.p": {Label: 3, Source: "u.phone"}}},
		{"HighestWins", []ColumnGraphEdge{edge("x.a", "t.c"), edge("y.b", "t.c"), edge("z.c", "x.a")}, map[string]int{"x.a": 2, "y.b": 4, "z.c": 5},
			map[string]DerivedLabel{"t.c": {Label: 5, Source: "z.c"}, "x.a": {Label: 5, Source: "z.c"}}},
		{"TieSmallestGuid", []ColumnGraphEdge{edge("y.b", "t.c"), edge("x.a", "t.c")}, map[string]int{"x.a": 2, "y.b": 2},
			map[string]DerivedLabel{"t.c": {Label: 2, Source: "x.a"}}},
		{"OwnLabelGoverns", []ColumnGraphEdge{edge("u.phone", "o.phone"), edge("o.phone", "r.phone")}, map[string]int{"u.phone": 3, "o.phone": 3},
			map[string]DerivedLabel{"r.phone": {Label: 3, Source: "o.phone"}}},
		{"OwnHigher", []ColumnGraphEdge{edge("u.phone", "o.phone")}, map[string]int{"u.phone": 3, "o.phone": 7},
			map[string]DerivedLabel{}},
		{"Cycle", []ColumnGraphEdge{edge("a.x", "b.x"), edge("b.x", "a.x"), edge("s.x", "b.x")}, map[string]int{"s.x": 2},
			map[string]DerivedLabel{"a.x": {Label: 2, Source: "s.x"}, "b.x": {Label: 2, Source: "s.x"}}},
		{"NoLabels", []ColumnGraphEdge{edge("a.x", "b.x"), {To: "b.y"}}, nil, map[string]DerivedLabel{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DeriveLabels(tc.edges, tc.declared); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("DeriveLabels = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCatalogTable_LineageLabel(t *testing.T) {
	tb := &CatalogTable{Label: 1, Columns: []Column{{Name: "id"}, {Name: "phone", Label: 2}, {Name: "note", Label: 5}},
		Derived: map[string]DerivedLabel{"phone": {Label: 3, Source: "odps.crm.users.phone"}, "note": {Label: 4, Source: "odps.crm.users.note"}}}
	for i, want := range []struct {
		label  int
		source string
	}{{1, ""}, {3, "odps.crm.users.phone"}, {5, ""}} {
		got, d := tb.LineageLabel(tb.Columns[i])
		if got != want.label || d.Source != want.source {
			t.Errorf("%s: %d from %q, want %d from %q", tb.Columns[i].Name, got, d.Source, want.label, want.source)
		}
	}
}
