package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sluice-dev/sluice"
)

// BenchmarkLineageLongHistory measures the reads of current table lineage on files with a long history: 48
// files, each committed 75 times (3,600 versions), every version reading one shared source table and writing
// the file's own output, as the soak's edit-commit-deploy loop leaves them after about ten minutes. What is
// current is the 48 versions the DEV nodes run; a read must cost that, not the history. SQLite; run with
//
//	go test ./sqlstore -run '^$' -bench LineageLongHistory
func BenchmarkLineageLongHistory(b *testing.B) {
	const files, versions = 48, 75
	ctx := context.Background()
	db, _ := benchDB(b)
	p := benchProjects(b, db, "h", 1)[0]
	const source = "odps.h0.src.id"
	for i := range files {
		f := newColumnFile(b, db, p.ID, fmt.Sprintf("f%d", i))
		for v := range versions {
			edge := sluice.ColumnEdge{Target: fmt.Sprintf("odps.h0.out_%d.v%d", i, v%3), Source: source, Kind: sluice.ColumnDirect}
			if err := commitColumns(ctx, db, p.ID, f.ID, []sluice.ColumnEdge{edge}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("FindTableLinks", func(b *testing.B) {
		for b.Loop() {
			links, _, err := db.FindTableLinks(ctx, sluice.LineageQuery{Guid: "odps.h0.src", Direction: sluice.Downstream, Limit: 100})
			if err != nil || len(links) != files {
				b.Fatalf("%d links, %v", len(links), err)
			}
		}
	})
	b.Run("FindProducingNodes", func(b *testing.B) {
		for b.Loop() {
			nodes, err := db.FindProducingNodes(ctx, "odps.h0.out_7", nil)
			if err != nil || len(nodes) != 1 {
				b.Fatalf("%d nodes, %v", len(nodes), err)
			}
		}
	})
}
