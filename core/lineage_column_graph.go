package core

import (
	"context"

	"github.com/sluice-dev/sluice"
)

// graphBounds checks a graph query's direction, depth and limit, and fills in the defaults of a depth or limit
// of 0. The table and the column graph share it.
func graphBounds(dir sluice.LineageDirection, depth, limit int) (int, int, error) {
	if err := checkDirection(dir); err != nil {
		return 0, 0, err
	}
	if depth == 0 {
		depth = sluice.DefaultGraphDepth
	}
	if limit == 0 {
		limit = sluice.DefaultGraphLimit
	}
	if depth < 1 || depth > sluice.MaxGraphDepth {
		return 0, 0, sluice.Errorf(sluice.EINVALID, "The depth %d is invalid: use 1 to %d.", depth, sluice.MaxGraphDepth)
	}
	if limit < 1 || limit > sluice.MaxGraphLimit {
		return 0, 0, sluice.Errorf(sluice.EINVALID, "The limit %d is invalid: use 1 to %d.", limit, sluice.MaxGraphLimit)
	}
	return depth, limit, nil
}

// FindColumnGraph returns the column lineage graph around q.Guids through the caller's readable projects only.
// Every root is parsed (and written back in its canonical, lower-case form) and its table must be catalogued in
// a project the caller reads, as for FindColumnLineage; all are checked before anything is walked, so one bad
// root fails the whole query. Each table is looked up once, however many of its columns are roots.
func (s *Service) FindColumnGraph(ctx context.Context, q sluice.ColumnGraphQuery) (*sluice.ColumnGraph, error) {
	var err error
	if q.Depth, q.Limit, err = graphBounds(q.Direction, q.Depth, q.Limit); err != nil {
		return nil, err
	}
	if len(q.Guids) == 0 || len(q.Guids) > sluice.MaxColumnGraphRoots {
		return nil, sluice.Errorf(sluice.EINVALID, "A column graph starts from 1 to %d columns, not %d.", sluice.MaxColumnGraphRoots, len(q.Guids))
	}
	guids := make([]string, len(q.Guids))
	var tables []sluice.TableRef // in the order of the roots, each once: the first refusal is the one reported
	seen := map[string]bool{}
	for i, g := range q.Guids {
		c, err := sluice.ParseColumnGuid(g)
		if err != nil {
			return nil, err
		}
		guids[i] = c.Guid()
		if t := c.Table.Guid(); !seen[t] {
			seen[t] = true
			tables = append(tables, c.Table)
		}
	}
	ids, err := s.readable(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if _, err := s.catalogued(ctx, t, ids); err != nil {
			return nil, err
		}
	}
	q.Guids, q.ProjectIDs = guids, ids
	return s.store.FindColumnGraph(ctx, q)
}
