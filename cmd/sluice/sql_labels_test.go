package main

import (
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/api/native"
)

// TestSQLFormatDerivedLabels: when lineage raises a column's label, DESC adds an EffectiveLabel column giving
// every column's governing label and, for a raised one, where it comes from.
func TestSQLFormatDerivedLabels(t *testing.T) {
	var b strings.Builder
	writeSQLResults(&b, []native.SQLResult{{Kind: "table", Table: &native.CatalogTable{
		Project: "sales_dw", Name: "dws_users", Kind: "table", Described: true, Owner: "alice", Label: 1, CreatedAt: at(1, 10), UpdatedAt: at(1, 10),
		Columns: []native.Column{
			{Name: "id", Type: "bigint", EffectiveLabel: 1},
			{Name: "phone", Type: "string", Comment: "contact", EffectiveLabel: 3, LabelSource: "odps.crm.users.phone"},
			{Name: "note", Type: "string", Label: 2, EffectiveLabel: 2},
			{Name: "city", Type: "string", EffectiveLabel: 2},                        // a consumer's view: no source
			{Name: "wide", Type: "string", EffectiveLabel: 9, LabelIncomplete: true}, // lineage beyond the graph's limits
		},
		PartitionColumns: []native.Column{{Name: "ds", Type: "string"}},
	}}})
	want := `+------------------------------------------------------------------------------------+
| Owner: alice | Project: sales_dw                                                   |
| TableComment:                                                                      |
+------------------------------------------------------------------------------------+
| CreateTime:               2024-03-01 10:04:05                                      |
| LastDDLTime:              2024-03-01 10:04:05                                      |
| Label:                    1                                                        |
+------------------------------------------------------------------------------------+
| Native Columns:                                                                    |
+------------------------------------------------------------------------------------+
| Field           | Type       | Label | EffectiveLabel                  | Comment   |
+------------------------------------------------------------------------------------+
| id              | bigint     |       | 1                               |           |
| phone           | string     |       | 3 from odps.crm.users.phone     | contact   |
| note            | string     | 2     | 2                               |           |
| city            | string     |       | 2 from lineage                  |           |
| wide            | string     |       | 9 (lineage too large to follow) |           |
+------------------------------------------------------------------------------------+
| Partition Columns:                                                                 |
+------------------------------------------------------------------------------------+
| ds              | string     |                                                     |
+------------------------------------------------------------------------------------+
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
