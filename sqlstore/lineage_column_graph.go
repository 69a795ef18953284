package sqlstore

import (
	"context"

	"github.com/sluice-dev/sluice"
)

// FindColumnGraph walks column lineage from q.Guids.
func (db *DB) FindColumnGraph(ctx context.Context, q sluice.ColumnGraphQuery) (*sluice.ColumnGraph, error) {
	return nil, sluice.Errorf(sluice.EINTERNAL, "The column lineage graph is not built yet.")
}
