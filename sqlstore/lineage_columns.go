package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sluice-dev/sluice"
)

// columnBatch is the number of edges one INSERT of a version's column lineage carries: six parameters each,
// far below either database's limit, and few statements for the hundreds of edges a wide table has.
const columnBatch = 100

// insertColumnLineage records a version's column lineage, in insertLineage's transaction, and catalogues the
// tables its columns belong to in the file's project, as table lineage does with the tables it names: a column
// is looked up through its table, so its table must be known.
func (tx *Tx) insertColumnLineage(ctx context.Context, projectID, fileID int64, version int, edges []sluice.ColumnEdge) error {
	edges = sluice.SortColumnEdges(edges)
	tables := map[string]bool{}
	for start := 0; start < len(edges); start += columnBatch {
		part := edges[start:min(start+columnBatch, len(edges))]
		args := make([]any, 0, 6*len(part))
		for _, e := range part {
			if e.Target == "" {
				return sluice.Errorf(sluice.EINVALID, "A column lineage edge of file %d has no target column.", fileID)
			}
			args = append(args, projectID, fileID, version, e.Target, e.Source, e.Kind)
			for _, g := range []string{e.Target, e.Source} {
				if c, err := sluice.ParseColumnGuid(g); err == nil {
					tables[c.Table.Guid()] = true
				}
			}
		}
		q := "INSERT INTO version_column_lineage (project_id, file_id, version, target, source, kind) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?),", len(part)), ",")
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("record column lineage: %w", err)
		}
	}
	now := millis(tx.now)
	for _, g := range slices.Sorted(maps.Keys(tables)) {
		if err := tx.catalogue(ctx, projectID, g, now); err != nil {
			return err
		}
	}
	return nil
}

// versionColumns returns the column lineage recorded with a version, by target and source.
func (db *DB) versionColumns(ctx context.Context, fileID int64, version int) ([]sluice.ColumnEdge, error) {
	rows, err := db.query(ctx, "SELECT target, source, kind FROM version_column_lineage WHERE file_id = ? AND version = ? ORDER BY target, source",
		fileID, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []sluice.ColumnEdge{}
	for rows.Next() {
		var e sluice.ColumnEdge
		if err := rows.Scan(&e.Target, &e.Source, &e.Kind); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// columnEnds returns the column_lineage columns of the queried column and of its neighbours: upstream the
// queried column is the target and the neighbours its sources.
func columnEnds(dir sluice.LineageDirection) (self, other string) {
	if dir == sluice.Upstream {
		return "target", "source"
	}
	return "source", "target"
}

// devColumns is the condition that the version_column_lineage row e is current in DEV: it belongs to the
// version its file's DEV node runs. This is the one rule of current column lineage (moveCurrentLineage keeps the
// flag so); a query that reads e as devColumnEdges names it, adds this condition and filters projects on
// e.project_id (devColumnProjects) reads the partial index of current edges, (column, project_id, neighbour,
// kind), alone: no join.
func devColumns(e string) string {
	return e + ".dev_current"
}

// devColumnEdges names version_column_lineage as e, to be read, with devColumns("e"), from the partial index
// of current edges that leads with the column self ("source" or "target"). SQLite is told the index: a range
// of columns (a table's) with a project equality otherwise looks cheaper to it on the project index, which
// holds every version of the project's edges.
func (db *DB) devColumnEdges(e, self string) string {
	if db.dialect == SQLite {
		return "version_column_lineage " + e + " INDEXED BY version_column_lineage_dev_" + self
	}
	return "version_column_lineage " + e
}

// devColumnProjects is the project filter of current column edges e: as projectFilter, but one project is an
// equality, so that a column's current edges in it are one range of the partial index already in neighbour
// order (a page stops after its rows, a count groups as it reads); a list sorts what the range yields.
func (db *DB) devColumnProjects(e string, ids []int64) (string, []any) {
	if len(ids) == 1 {
		return " AND " + e + ".project_id = ?", []any{ids[0]}
	}
	return db.projectFilter(e+".project_id", ids)
}

// FindColumnLinks answers one page of a column's neighbours through current DEV versions, with their exact
// total. Both are ranges of one partial index (devColumns), in neighbour order when the filter names one
// project: the page stops after its rows and the total is a second statement over the same range, cheaper
// than a window over the grouped neighbours (which would build all of them to return ten). A first page, or
// any page short of its size, is its own total. The project filter is part of the statements, as in
// FindTableLinks: a column read by thousands of files would otherwise bring them all back to be filtered here.
func (db *DB) FindColumnLinks(ctx context.Context, q sluice.ColumnQuery) ([]*sluice.ColumnLink, int64, error) {
	if q.Direction != sluice.Upstream && q.Direction != sluice.Downstream {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The direction %q is invalid: use up or down.", q.Direction)
	}
	size, num := q.PageSize, q.PageNum
	if size <= 0 {
		size = 10
	}
	if num <= 0 {
		num = 1
	}
	offset := int64(num-1) * int64(size)
	self, other := columnEnds(q.Direction)
	projects, projectArgs := db.devColumnProjects("e", q.ProjectIDs)
	from := " FROM " + db.devColumnEdges("e", self) + " WHERE " + devColumns("e") + " AND e." + self + " = ? AND e." + other + " <> ''" +
		" AND e." + other + " <> e." + self + projects
	args := append([]any{q.Guid}, projectArgs...)
	rows, err := db.query(ctx, "SELECT e."+other+", MIN(e.kind)"+from+" GROUP BY e."+other+" ORDER BY e."+other+" LIMIT ? OFFSET ?",
		append(args, size, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	links := []*sluice.ColumnLink{}
	for rows.Next() {
		var l sluice.ColumnLink
		if err := rows.Scan(&l.Guid, &l.Kind); err != nil {
			return nil, 0, err
		}
		links = append(links, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(links) < size && (len(links) > 0 || num == 1) {
		return links, offset + int64(len(links)), nil
	}
	var total int64
	if err := db.queryRow(ctx, "SELECT COUNT(DISTINCT e."+other+")"+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	return links, total, nil
}

// CountColumnRelations counts, in one statement, the distinct upstream and downstream neighbours of every
// column of a table through current DEV versions. A table's column guids are the range between "<table>." and
// "<table>/" ('/' follows '.'), which the partial indexes of current edges answer (devColumns); a guid in that
// range with another dot belongs to a table of a schema named like this table (odps.p.t.x.c), and is left out.
func (db *DB) CountColumnRelations(ctx context.Context, table string, projectIDs []int64) (map[string]int64, error) {
	lo, hi := table+".", table+"/"
	projects, projectArgs := db.devColumnProjects("e", projectIDs)
	part := func(self, other string) string {
		return "SELECT e." + self + ", COUNT(DISTINCT e." + other + ") FROM " + db.devColumnEdges("e", self) + " WHERE " + devColumns("e") +
			" AND e." + self + " > ? AND e." + self + " < ? AND e." + other + " <> '' AND e." + other + " <> e." + self + projects +
			" GROUP BY e." + self
	}
	args := append(append([]any{lo, hi}, projectArgs...), lo, hi)
	args = append(args, projectArgs...)
	rows, err := db.query(ctx, part("target", "source")+" UNION ALL "+part("source", "target"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var g string
		var n int64
		if err := rows.Scan(&g, &n); err != nil {
			return nil, err
		}
		if col := g[len(lo):]; !strings.Contains(col, ".") {
			counts[col] += n
		}
	}
	return counts, rows.Err()
}
