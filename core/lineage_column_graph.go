package core

import (
	"context"

	"github.com/sluice-dev/sluice"
)

// FindColumnGraph returns the column lineage graph around q.Guids.
func (s *Service) FindColumnGraph(ctx context.Context, q sluice.ColumnGraphQuery) (*sluice.ColumnGraph, error) {
	return s.store.FindColumnGraph(ctx, q)
}
