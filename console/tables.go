package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// TableSummary is a table in a project's table list.
type TableSummary struct {
	Guid      string    `json:"guid"`
	Schema    string    `json:"schema"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`      // table or view
	Described bool      `json:"described"` // false: known from lineage only, no columns yet
	Comment   string    `json:"comment"`
	Label     int       `json:"label"`
	Columns   int       `json:"columns"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// TablePage is one page of a project's tables, by schema and name. The catalogue pages by name (a marker),
// not by offset, and keeps no count: NextMarker is the marker of the next page, empty on the last.
type TablePage struct {
	Items      []TableSummary `json:"items"`
	NextMarker string         `json:"nextMarker"`
}

// TableColumn is a column of the table page. EffectiveLabel is the label that governs it once labels follow
// the data (the greatest of its own, its table's and those it derives from lineage); LabelSource names the
// column it derives that label from, when above the declared ones; LabelIncomplete says lineage upstream
// was too large to follow, so it counts as the highest label. Relations counts its column lineage
// neighbours, up and down together.
type TableColumn struct {
	Name            string `json:"name"`
	Type            string `json:"type"`
	Comment         string `json:"comment"`
	Label           int    `json:"label"`
	EffectiveLabel  int    `json:"effectiveLabel"`
	LabelSource     string `json:"labelSource,omitempty"`
	LabelIncomplete bool   `json:"labelIncomplete,omitempty"`
	Relations       int64  `json:"relations"`
}

// ProducingTask is a DEV node whose committed version writes the table: the answer of DataWorks'
// GetMetaTableProducingTasks, with the file to link to.
type ProducingTask struct {
	NodeID    int64  `json:"nodeId"`
	Name      string `json:"name"`
	FileID    int64  `json:"fileId"`
	Version   int    `json:"version"`
	ProjectID int64  `json:"projectId"`
	Project   string `json:"project"`
}

// TableDetail is the table page.
type TableDetail struct {
	Guid             string          `json:"guid"`
	Project          string          `json:"project"`
	Schema           string          `json:"schema"`
	Name             string          `json:"name"`
	Kind             string          `json:"kind"`
	Described        bool            `json:"described"`
	Comment          string          `json:"comment"`
	Lifecycle        int             `json:"lifecycle"`
	Owner            string          `json:"owner"`
	Label            int             `json:"label"`
	ViewText         string          `json:"viewText,omitempty"`
	CreatedAt        time.Time       `json:"createdAt"`
	UpdatedAt        time.Time       `json:"updatedAt"`
	Columns          []TableColumn   `json:"columns"`
	PartitionColumns []TableColumn   `json:"partitionColumns"`
	ProducingTasks   []ProducingTask `json:"producingTasks"`
	// Lineage is false when no lineage of the table is visible to the caller: no committed script names it,
	// or only scripts of projects the caller does not read do (a table shown through a package).
	Lineage bool `json:"lineage"`
}

// tableRef reads {table}: a name, or schema.name in a three-layer project.
func tableParam(r *http.Request) (schema, name string, err error) {
	v := strings.ToLower(strings.TrimSpace(r.PathValue("table")))
	parts := strings.Split(v, ".")
	for _, p := range parts {
		if p == "" || strings.ContainsAny(p, " \t\r\n\x00`'\"/") {
			return "", "", sluice.Errorf(sluice.EINVALID, "The table %q is invalid: use its name, or schema.name.", r.PathValue("table"))
		}
	}
	switch len(parts) {
	case 1:
		return "", parts[0], nil
	case 2:
		return parts[0], parts[1], nil
	}
	return "", "", sluice.Errorf(sluice.EINVALID, "The table %q is invalid: use its name, or schema.name.", r.PathValue("table"))
}

// guidOf is the lineage guid of a catalogue table: a two-layer project's tables have no schema in it.
func guidOf(t *sluice.CatalogTable) sluice.TableRef {
	ref := sluice.TableRef{Project: strings.ToLower(t.Project), Name: t.Name}
	if t.Schema != "" && t.Schema != sluice.DefaultSchema {
		ref.Schema = t.Schema
	}
	return ref
}

// listTables answers GET /projects/{project}/tables?prefix=&marker=&limit=.
func (s *server) listTables(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	ref := projectRef(r)
	// One more than the page tells whether another page follows.
	ts, err := s.Catalog.FindTables(ctx, ref, sluice.TableFilter{Prefix: q.Get("prefix"), After: strings.ToLower(q.Get("marker")), Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	page := TablePage{Items: make([]TableSummary, 0, min(len(ts), limit))}
	for i, t := range ts {
		if i == limit {
			page.NextMarker = ts[limit-1].Name
			break
		}
		page.Items = append(page.Items, TableSummary{Guid: guidOf(t).Guid(), Schema: t.Schema, Name: t.Name, Kind: string(t.Kind),
			Described: t.Described, Comment: t.Comment, Label: t.Label, Columns: len(t.Columns), UpdatedAt: t.UpdatedAt})
	}
	return page, nil
}

// getTable answers GET /projects/{project}/tables/{table}: the catalogue's table with its labels as they
// govern the columns, the tasks producing it (GetMetaTableProducingTasks' answer) and column lineage counts.
func (s *server) getTable(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	schema, name, err := tableParam(r)
	if err != nil {
		return nil, err
	}
	t, err := s.Catalog.FindCatalogTable(ctx, projectRef(r), schema, name)
	if err != nil {
		return nil, err
	}
	ref := guidOf(t)
	out := TableDetail{Guid: ref.Guid(), Project: t.Project, Schema: t.Schema, Name: t.Name, Kind: string(t.Kind), Described: t.Described,
		Comment: t.Comment, Lifecycle: t.Lifecycle, Owner: t.Owner, Label: t.Label, ViewText: t.ViewText, CreatedAt: t.CreatedAt,
		UpdatedAt: t.UpdatedAt, Columns: []TableColumn{}, PartitionColumns: []TableColumn{}, ProducingTasks: []ProducingTask{}}
	nodes, err := s.Lineage.FindProducingNodes(ctx, ref)
	switch {
	case err == nil:
		out.Lineage = true
	case !isRefusal(err):
		return nil, err
	}
	counts := map[string]int64{}
	if out.Lineage {
		if counts, err = s.Lineage.CountColumnRelations(ctx, ref); err != nil {
			return nil, err
		}
	}
	for _, c := range t.Columns {
		label, d := t.LineageLabel(c)
		out.Columns = append(out.Columns, TableColumn{Name: c.Name, Type: c.Type, Comment: c.Comment, Label: c.Label,
			EffectiveLabel: label, LabelSource: d.Source, LabelIncomplete: d.Incomplete, Relations: counts[c.Name]})
	}
	for _, c := range t.PartitionColumns {
		out.PartitionColumns = append(out.PartitionColumns, TableColumn{Name: c.Name, Type: c.Type, Comment: c.Comment, Relations: counts[c.Name]})
	}
	nm := &names{s: s, ctx: ctx, projects: map[int64]string{}}
	for _, n := range nodes {
		out.ProducingTasks = append(out.ProducingTasks, ProducingTask{NodeID: n.ID, Name: n.Name, FileID: n.FileID, Version: n.FileVersion,
			ProjectID: n.ProjectID, Project: nm.project(n.ProjectID)})
	}
	return out, nil
}

// ColumnLink is a neighbour column in column lineage.
type ColumnLink struct {
	Guid string `json:"guid"`
	Kind string `json:"kind"`
}

// ColumnLineage is one page of a column's lineage in each direction asked for.
type ColumnLineage struct {
	Column string            `json:"column"`
	Up     *Page[ColumnLink] `json:"up,omitempty"`
	Down   *Page[ColumnLink] `json:"down,omitempty"`
}

// columnLineage answers GET /projects/{project}/tables/{table}/columns/{column}/lineage?direction=&offset=&limit=
// with the core's FindColumnLineage, which pages by page number: offset must fall on a page boundary.
func (s *server) columnLineage(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	schema, name, err := tableParam(r)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(r, "limit", 50, 1, 100)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	if offset%limit != 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "The offset %d is invalid: column lineage pages by %d, so use a multiple of limit.", offset, limit)
	}
	var dirs []sluice.LineageDirection
	switch d := r.URL.Query().Get("direction"); d {
	case "", "both":
		dirs = []sluice.LineageDirection{sluice.Upstream, sluice.Downstream}
	case "up", "down":
		dirs = []sluice.LineageDirection{sluice.LineageDirection(d)}
	default:
		return nil, sluice.Errorf(sluice.EINVALID, "The direction %q is invalid: use up, down or both.", d)
	}
	col := strings.ToLower(strings.TrimSpace(r.PathValue("column")))
	if col == "" || strings.ContainsAny(col, " \t\r\n\x00`'\"./") {
		return nil, sluice.Errorf(sluice.EINVALID, "The column %q is invalid.", r.PathValue("column"))
	}
	// The project in the path is the caller's way in: the table must be in its catalogue, as the table page
	// shows it, before its lineage is asked for by guid.
	t, err := s.Catalog.FindCatalogTable(ctx, projectRef(r), schema, name)
	if err != nil {
		return nil, err
	}
	c := sluice.ColumnRef{Table: guidOf(t), Column: col}
	out := ColumnLineage{Column: c.Guid()}
	for _, d := range dirs {
		links, total, err := s.Lineage.FindColumnLineage(ctx, c, sluice.ColumnQuery{Direction: d, PageNum: offset/limit + 1, PageSize: limit})
		if err != nil {
			return nil, err
		}
		p := &Page[ColumnLink]{Items: make([]ColumnLink, 0, len(links)), TotalCount: int(total)}
		for _, l := range links {
			p.Items = append(p.Items, ColumnLink{Guid: l.Guid, Kind: l.Kind})
		}
		if d == sluice.Upstream {
			out.Up = p
		} else {
			out.Down = p
		}
	}
	return out, nil
}
