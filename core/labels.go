package core

import (
	"strings"

	"github.com/sluice-dev/sluice"
)

// Labels follow the data (docs/maxcompute.md, "Labels follow the data"). A column made from labelled columns
// carries their label: its label is the highest declared effective label among itself and every column
// upstream of it through current column lineage (sluice.DeriveLabels). Lineage is every project's: labels are
// facts of the data, not of who asks. Three places use it: DESC and GetTableInfo show it (shownTable), a
// package's consumer sees only the columns it clears (visibleTable), and a package is not shared at a label
// below that of a column it would show (checkDerivedLabels).

// upstreamColumns walks current column lineage upstream of guids as far as the graph's limits allow.
func (r *catalogRun) upstreamColumns(guids []string) (*sluice.ColumnGraph, error) {
	return r.s.store.FindColumnGraph(r.ctx, sluice.ColumnGraphQuery{Guids: guids, Direction: sluice.Upstream,
		Depth: sluice.MaxGraphDepth, Limit: sluice.MaxGraphLimit})
}

// tableRef is the lineage name of a catalogue table: the default schema is a two-layer guid's, with none.
func tableRef(t *sluice.CatalogTable) sluice.TableRef {
	ref := sluice.TableRef{Project: strings.ToLower(t.Project), Name: t.Name}
	if t.Schema != sluice.DefaultSchema {
		ref.Schema = t.Schema
	}
	return ref
}

// deriveLabels fills t.Derived, once: the labels t's columns take from upstream, above their declared ones.
// When the walk stops at the graph's limits nothing proves any column of t less sensitive than MaxLabel,
// and each takes it.
func (r *catalogRun) deriveLabels(t *sluice.CatalogTable) error {
	if t.Derived != nil {
		return nil
	}
	derived := map[string]sluice.DerivedLabel{}
	if len(t.Columns) == 0 {
		t.Derived = derived
		return nil
	}
	ref := tableRef(t)
	guids := make([]string, len(t.Columns))
	names := make(map[string]string, len(t.Columns)) // column guid -> name
	declared := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		guids[i] = sluice.ColumnRef{Table: ref, Column: c.Name}.Guid()
		names[guids[i]] = c.Name
		declared[guids[i]] = t.EffectiveLabel(c)
	}
	g, err := r.upstreamColumns(guids)
	if err != nil {
		return err
	}
	if g.Truncated || g.DepthLimited {
		for _, c := range t.Columns {
			if t.EffectiveLabel(c) < sluice.MaxLabel {
				derived[c.Name] = sluice.DerivedLabel{Label: sluice.MaxLabel, Incomplete: true}
			}
		}
		t.Derived = derived
		return nil
	}
	// Tables are read for each table derived, not kept for the run: a script may change a label upstream
	// between two statements that share.
	tables := map[string]*sluice.CatalogTable{}
	for _, n := range g.Nodes {
		if _, ok := declared[n.Guid]; ok {
			continue
		}
		if declared[n.Guid], err = r.declaredLabel(n.Guid, tables); err != nil {
			return err
		}
	}
	for guid, d := range sluice.DeriveLabels(g.Edges, declared) {
		if name, ok := names[guid]; ok {
			derived[name] = d
		}
	}
	t.Derived = derived
	return nil
}

// declaredLabel is the declared effective label of the column with guid: 0 for a column no catalogue
// describes (a project Sluice does not hold, a table only lineage named, a partition column). tables holds
// the tables read so far, by guid (nil: none).
func (r *catalogRun) declaredLabel(guid string, tables map[string]*sluice.CatalogTable) (int, error) {
	c, err := sluice.ParseColumnGuid(guid)
	if err != nil {
		return 0, nil
	}
	key := c.Table.Guid()
	t, ok := tables[key]
	if !ok {
		if t, err = r.labelTable(c.Table); err != nil {
			return 0, err
		}
		tables[key] = t
	}
	if t == nil {
		return 0, nil
	}
	if i := column(t.Columns, c.Column); i >= 0 {
		return t.EffectiveLabel(t.Columns[i]), nil
	}
	return 0, nil
}

// labelTable finds the catalogue table ref names, in any project; nil when there is none.
func (r *catalogRun) labelTable(ref sluice.TableRef) (*sluice.CatalogTable, error) {
	p, err := r.s.findProjectNamed(r.ctx, ref.Project)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	schema, name := objectKey(sluice.ObjectTable, ref.Schema, ref.Name)
	t, err := r.tx.FindTable(r.ctx, p.ID, schema, name)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil
	}
	return t, err
}

// shownTable is a table as DESC and GetTableInfo show it: as the caller may see it, with the labels its
// columns derive from lineage.
func (r *catalogRun) shownTable(p *sluice.Project, schema, name string) (*sluice.CatalogTable, error) {
	t, v, err := r.table(p, schema, name, "describe")
	if err != nil {
		return nil, err
	}
	if err := r.deriveLabels(t); err != nil {
		return nil, err
	}
	return r.visibleTable(t, v)
}

// visibleTable is t as v may see it: through a package, the columns whose label, lineage's included, is above
// the package's label are left out (partition columns carry no label and stay). Lineage is read at every
// look, not only when the package was shared: a script committed since may have made a column from data the
// consumer is not cleared for.
func (r *catalogRun) visibleTable(t *sluice.CatalogTable, v *objectView) (*sluice.CatalogTable, error) {
	if v.Grant == nil {
		return t, nil
	}
	if err := r.deriveLabels(t); err != nil {
		return nil, err
	}
	c := *t
	c.Columns = nil
	c.Derived = map[string]sluice.DerivedLabel{}
	for _, col := range t.Columns {
		label, d := t.LineageLabel(col)
		if label > v.Grant.Label {
			continue
		}
		c.Columns = append(c.Columns, col)
		if d.Label > 0 {
			// The source may be a column of a project the consumer cannot read: the label shows, not its origin.
			c.Derived[col.Name] = sluice.DerivedLabel{Label: d.Label, Incomplete: d.Incomplete}
		}
	}
	return &c, nil
}

// checkDerivedLabels refuses to share the tables of objects with the projects of allowed when a column the
// package would show one of them (its declared label at or below the project's) derives from a column
// labelled above it: sharing it would hand over, under another name, data the project is not cleared for.
func (r *catalogRun) checkDerivedLabels(pkg *sluice.Package, objects []sluice.PackageObject, allowed []sluice.PackageAllow) error {
	if len(allowed) == 0 {
		return nil
	}
	for _, o := range objects {
		if o.Type != sluice.ObjectTable {
			continue
		}
		tables, err := r.packageTables(o)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if err := r.checkTableLabels(pkg, t, allowed); err != nil {
				return err
			}
		}
	}
	return nil
}

// packageTables are the tables a package's table object stands for: one, or with "*" every table of its
// schema.
func (r *catalogRun) packageTables(o sluice.PackageObject) ([]*sluice.CatalogTable, error) {
	if o.Name == "*" {
		return r.tx.FindTables(r.ctx, sluice.TableFilter{ProjectID: r.home.ID, Schema: o.Schema})
	}
	t, err := r.tx.FindTable(r.ctx, r.home.ID, o.Schema, o.Name)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []*sluice.CatalogTable{t}, nil
}

func (r *catalogRun) checkTableLabels(pkg *sluice.Package, t *sluice.CatalogTable, allowed []sluice.PackageAllow) error {
	if err := r.deriveLabels(t); err != nil {
		return err
	}
	for _, a := range allowed {
		for _, c := range t.Columns {
			label, d := t.LineageLabel(c)
			if t.EffectiveLabel(c) > a.Label || label <= a.Label {
				continue // hidden from the project by its own label, or cleared
			}
			guid := sluice.ColumnRef{Table: tableRef(t), Column: c.Name}.Guid()
			if d.Incomplete {
				return sluice.Errorf(sluice.EFORBIDDEN, "Column %s may derive from data above the label %d allowed to project %s by package %s: "+
					"its lineage upstream goes beyond what Sluice follows (%d hops, %d columns), so it counts as label %d.",
					guid, a.Label, a.Project, pkg.Name, sluice.MaxGraphDepth, sluice.MaxGraphLimit, sluice.MaxLabel)
			}
			return sluice.Errorf(sluice.EFORBIDDEN, "Column %s derives from %s (label %d), above the label %d allowed to project %s by package %s: "+
				"allow the project at label %d or higher, or label the column %d so that the package does not show it.",
				guid, d.Source, d.Label, a.Label, a.Project, pkg.Name, d.Label, d.Label)
		}
	}
	return nil
}
