package core

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/sluice-dev/sluice"
)

// DiffFileLineage compares two sides of a file's lineage (see sluice.LineageDiffQuery) for a caller who may
// read the project: a reviewer's question "what does this change do to lineage, and whom does it reach". A
// committed side is the lineage recorded with the version; the working copy is parsed as a commit would
// parse it now (workingLineage), nothing recorded. The impact is looked up through the current DEV nodes of
// the projects the caller reads, the file's own node left out.
func (s *Service) DiffFileLineage(ctx context.Context, ref sluice.ProjectRef, fileID int64, q sluice.LineageDiffQuery) (*sluice.LineageDiff, error) {
	if q.From < 0 || q.To < 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "The versions %d and %d are invalid: use version numbers from 1, or 0 for the default.", q.From, q.To)
	}
	if q.Script != nil && q.To != 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "A script is the working copy: compare it with a committed version (from), not with version %d.", q.To)
	}
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	f, err := s.store.FindFile(ctx, p.ID, fileID)
	if err != nil {
		return nil, err
	}
	d := &sluice.LineageDiff{FileID: f.ID, From: cmp.Or(q.From, f.CurrentVersion), To: q.To, Script: q.Script != nil}
	from := &sluice.VersionLineage{FileID: f.ID}
	if d.From != 0 {
		if from, err = s.store.FindVersionLineage(ctx, p.ID, f.ID, d.From); err != nil {
			return nil, err
		}
	}
	var to *sluice.VersionLineage
	if q.To != 0 {
		to, err = s.store.FindVersionLineage(ctx, p.ID, f.ID, q.To)
	} else {
		if q.Script != nil {
			f.Content = *q.Script
		}
		to = s.workingLineage(ctx, p, f)
	}
	if err != nil {
		return nil, err
	}
	d.Tables, d.Columns = diffLineage(from, to)
	d.Errors = slices.Clone(to.Errors)
	if d.Impact, err = s.lineageImpact(ctx, f, d); err != nil {
		return nil, err
	}
	return d, nil
}

// workingLineage is the lineage committing f, a file of p, as it stands would record: the same parse, with
// the same catalogue schemas, as SubmitFile's.
func (s *Service) workingLineage(ctx context.Context, p *sluice.Project, f *sluice.File) *sluice.VersionLineage {
	l := s.versionLineage(f, p.Name, s.columnSchemas(ctx, p, f))
	l.Columns = sluice.SortColumnEdges(l.Columns) // as the store keeps a version's, so that equal lineage is equal
	return l
}

// diffLineage returns the table and column edges to has and from has not (added) and those from has and to
// has not (removed). Tables are ordered by guid, then reads before writes; columns by target, then source;
// a removal comes before the addition of the same edge's other kind.
func diffLineage(from, to *sluice.VersionLineage) ([]sluice.TableEdgeChange, []sluice.ColumnEdgeChange) {
	tables := []sluice.TableEdgeChange{}
	for _, side := range []struct {
		dir      string
		from, to []string
	}{{sluice.EdgeReads, from.Inputs, to.Inputs}, {sluice.EdgeWrites, from.Outputs, to.Outputs}} {
		was, is := setOf(side.from), setOf(side.to)
		for g := range was {
			if !is[g] {
				tables = append(tables, sluice.TableEdgeChange{Direction: side.dir, Table: g})
			}
		}
		for g := range is {
			if !was[g] {
				tables = append(tables, sluice.TableEdgeChange{Added: true, Direction: side.dir, Table: g})
			}
		}
	}
	slices.SortFunc(tables, func(a, b sluice.TableEdgeChange) int {
		return cmp.Or(strings.Compare(a.Table, b.Table), strings.Compare(a.Direction, b.Direction), compareAdded(a.Added, b.Added))
	})
	columns := []sluice.ColumnEdgeChange{}
	was, is := setOf(from.Columns), setOf(to.Columns)
	for e := range was {
		if !is[e] {
			columns = append(columns, sluice.ColumnEdgeChange{Edge: e})
		}
	}
	for e := range is {
		if !was[e] {
			columns = append(columns, sluice.ColumnEdgeChange{Added: true, Edge: e})
		}
	}
	slices.SortFunc(columns, func(a, b sluice.ColumnEdgeChange) int {
		return cmp.Or(strings.Compare(a.Edge.Target, b.Edge.Target), strings.Compare(a.Edge.Source, b.Edge.Source),
			compareAdded(a.Added, b.Added), strings.Compare(a.Edge.Kind, b.Edge.Kind))
	})
	return tables, columns
}

func setOf[T comparable](list []T) map[T]bool {
	m := make(map[T]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

// compareAdded orders a removal before an addition.
func compareAdded(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// lineageImpact finds the tasks of other files, in projects the caller reads, that read what d touches: the
// target columns of the column edges it adds or removes (the columns whose derivation changes, appears or
// disappears) and the tables the file stops writing. Ordered by guid, then node id.
func (s *Service) lineageImpact(ctx context.Context, f *sluice.File, d *sluice.LineageDiff) ([]sluice.LineageImpact, error) {
	columns := map[string]bool{}
	for _, c := range d.Columns {
		columns[c.Edge.Target] = true
	}
	var tables []string
	for _, t := range d.Tables {
		if !t.Added && t.Direction == sluice.EdgeWrites {
			tables = append(tables, t.Table)
		}
	}
	out := []sluice.LineageImpact{}
	if len(columns)+len(tables) == 0 {
		return out, nil
	}
	ids, err := s.readable(ctx)
	if err != nil {
		return nil, err
	}
	byColumn, err := s.store.FindColumnReaders(ctx, slices.Sorted(maps.Keys(columns)), ids)
	if err != nil {
		return nil, err
	}
	byTable, err := s.store.FindTableReaders(ctx, tables, ids)
	if err != nil {
		return nil, err
	}
	projects := map[int64]string{}
	for _, side := range []struct {
		readers map[string][]*sluice.Node
		table   bool
	}{{byColumn, false}, {byTable, true}} {
		for guid, nodes := range side.readers {
			for _, n := range nodes {
				if n.FileID == f.ID {
					continue // the file reading what it writes is the change itself, not its impact
				}
				name, ok := projects[n.ProjectID]
				if !ok {
					p, err := s.store.FindProject(ctx, sluice.ProjectByID(n.ProjectID))
					if err != nil {
						return nil, err
					}
					name, projects[n.ProjectID] = p.Name, p.Name
				}
				out = append(out, sluice.LineageImpact{Guid: guid, Table: side.table, Node: n, Project: name})
			}
		}
	}
	slices.SortFunc(out, func(a, b sluice.LineageImpact) int {
		return cmp.Or(strings.Compare(a.Guid, b.Guid), cmp.Compare(a.Node.ID, b.Node.ID))
	})
	return out, nil
}
