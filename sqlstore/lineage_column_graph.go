package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// countedEdges is the selection of the column lineage edges that count, for a version_column_lineage row e:
// the JOIN that keeps a row only when its version counts (with the JOIN's arguments, which come before any
// other of the statement), and the expressions giving, for such a row, the project, node and name of its file.
type countedEdges struct {
	from    string // version_column_lineage as e
	join    string
	where   string // a condition on e, or ""
	args    []any
	project string // the file's project: the ProjectIDs filter goes by it
	node    string // the file's current DEV node, 0 when it has none
	name    string // the file's name as of the version
}

// countedColumnEdges renders which versions' column lineage counts, for a walk reading edges by the column
// self ("source" or "target"): with asOf zero, the version each file's DEV node runs now (the current lineage
// of FindColumnLinks, devColumns: a deleted file has no node and drops out), read from the partial index of
// current edges, the node joined only for the edges found; otherwise each file's last version committed at or
// before asOf, unless that version deleted the file. It is the one place that decides what "current" means
// for the column graph.
func (db *DB) countedColumnEdges(asOf time.Time, self string) countedEdges {
	if asOf.IsZero() {
		return countedEdges{from: db.devColumnEdges("e", self), where: " AND " + devColumns("e"),
			join:    " JOIN nodes n ON n.file_id = e.file_id AND n.env = 'DEV' AND n.file_version = e.version",
			project: "e.project_id", node: "n.id", name: "n.name"}
	}
	// A version is the last at asOf when no later version of its file was committed by then: file_versions'
	// primary key (file_id, version) answers that with a short range. A delete records a last version of its
	// own, without lineage, so it hides the versions before it; it is named here too, so that a delete that
	// carried lineage would not count either.
	t := millis(asOf)
	return countedEdges{
		from: "version_column_lineage e",
		join: " JOIN file_versions v ON v.file_id = e.file_id AND v.version = e.version AND v.commit_time <= ?" +
			" AND v.change_type <> '" + sluice.ChangeDelete + "'" +
			" AND NOT EXISTS (SELECT 1 FROM file_versions l WHERE l.file_id = e.file_id AND l.version > e.version AND l.commit_time <= ?)" +
			" LEFT JOIN nodes n ON n.file_id = e.file_id AND n.env = 'DEV'",
		args:    []any{t, t},
		project: "v.project_id", node: "COALESCE(n.id, 0)", name: "v.name",
	}
}

// columnGraphRow is one counted edge of a frontier column: the column, its neighbour, and the file version.
type columnGraphRow struct {
	self, other, kind string
	file              sluice.GraphFile
}

// columnGraphWalk reads the column graph's hops: the statement's text is fixed for a walk, and its frontier
// list is one parameter. The statement joins the counted versions itself: reading every version's edges and
// each file's counted version apart (as the table graph reads its nodes) was measured slower on SQLite, where
// the rows of old versions then cross into Go only to be dropped.
type columnGraphWalk struct {
	db          *DB
	self, other string // version_column_lineage ends: the frontier's, and its neighbours'
	edges       countedEdges
	projects    string // project filter on edges.project
	projectArgs []any
}

func newColumnGraphWalk(db *DB, q sluice.ColumnGraphQuery) *columnGraphWalk {
	w := &columnGraphWalk{db: db}
	w.self, w.other = columnEnds(q.Direction)
	w.edges = db.countedColumnEdges(q.AsOf, w.self)
	if q.AsOf.IsZero() {
		w.projects, w.projectArgs = db.devColumnProjects("e", q.ProjectIDs)
	} else {
		w.projects, w.projectArgs = db.projectFilter(w.edges.project, q.ProjectIDs)
	}
	return w
}

// query runs "SELECT what" over the counted edges of the frontier columns part, constants and self-loops left out.
func (w *columnGraphWalk) query(ctx context.Context, what string, part []string, tail string) (*sql.Rows, error) {
	cond, listArgs, fixed := w.db.strList("e."+w.self, part)
	args := append(append(append([]any{}, w.edges.args...), listArgs...), w.projectArgs...)
	return w.db.queryFiltered(ctx, !fixed, "SELECT "+what+" FROM "+w.edges.from+w.edges.join+
		" WHERE "+cond+w.edges.where+" AND e."+w.other+" <> '' AND e."+w.other+" <> e."+w.self+w.projects+tail, args...)
}

// hop reads the counted edges of part, ordered by frontier column, neighbour, file.
func (w *columnGraphWalk) hop(ctx context.Context, part []string, dst []columnGraphRow) ([]columnGraphRow, error) {
	rows, err := w.query(ctx, "e."+w.self+", e."+w.other+", e.kind, e.file_id, e.version, "+w.edges.project+", "+
		w.edges.node+", "+w.edges.name, part, "")
	if err != nil {
		return dst, err
	}
	defer rows.Close()
	for rows.Next() {
		var r columnGraphRow
		if err := rows.Scan(&r.self, &r.other, &r.kind, &r.file.ID, &r.file.Version, &r.file.ProjectID, &r.file.NodeID, &r.file.Name); err != nil {
			return dst, err
		}
		dst = append(dst, r)
	}
	if err := rows.Err(); err != nil {
		return dst, err
	}
	// Sorted here rather than by the statement: the database then reads the indexes in whatever order suits it.
	slices.SortFunc(dst, func(a, b columnGraphRow) int {
		return cmp.Or(strings.Compare(a.self, b.self), strings.Compare(a.other, b.other), cmp.Compare(a.file.ID, b.file.ID),
			cmp.Compare(a.file.NodeID, b.file.NodeID))
	})
	return dst, nil
}

// anyNeighbour reports whether a column of part has a counted edge.
func (w *columnGraphWalk) anyNeighbour(ctx context.Context, part []string) (bool, error) {
	rows, err := w.query(ctx, "1", part, " LIMIT 1")
	if err != nil {
		return false, err
	}
	defer rows.Close()
	found := rows.Next()
	return found, rows.Err()
}

// FindColumnGraph walks column lineage breadth first from q.Guids, hop by hop and per chunk of the frontier,
// one statement a chunk (see countedColumnEdges for which versions count). A chunk's edges are taken in the
// order of frontier column, then neighbour; a neighbour not in the graph yet joins it, one hop deeper than the
// column that led to it, until q.Limit columns are there; then Truncated is set and the walk stops. Every
// column is in one frontier at most, so each edge is found once: an edge's rows (one a file) are read
// together, its kind the first by name (as FindColumnLinks), its files sorted.
func (db *DB) FindColumnGraph(ctx context.Context, q sluice.ColumnGraphQuery) (*sluice.ColumnGraph, error) {
	g := &sluice.ColumnGraph{Roots: []string{}, Direction: q.Direction, Depth: q.Depth, AsOf: q.AsOf,
		Nodes: []sluice.ColumnGraphNode{}, Edges: []sluice.ColumnGraphEdge{}, Files: []sluice.GraphFile{}}
	limit := q.Limit
	if limit <= 0 {
		limit = sluice.DefaultGraphLimit
	}
	in := map[string]bool{}
	var frontier []string
	for _, guid := range q.Guids {
		if in[guid] {
			continue
		}
		if len(g.Nodes) >= limit {
			g.Truncated = true
			break
		}
		in[guid] = true
		g.Roots = append(g.Roots, guid)
		g.Nodes = append(g.Nodes, sluice.ColumnGraphNode{Guid: guid})
		frontier = append(frontier, guid)
	}
	slices.Sort(frontier)
	up := q.Direction == sluice.Upstream
	w := newColumnGraphWalk(db, q)
	files := map[int64]sluice.GraphFile{}
	var rows []columnGraphRow
	depth := 0
	for ; depth < q.Depth && len(frontier) > 0 && !g.Truncated; depth++ {
		var next []string
		for start := 0; start < len(frontier) && !g.Truncated; start += graphChunk {
			var err error
			if rows, err = w.hop(ctx, frontier[start:min(start+graphChunk, len(frontier))], rows[:0]); err != nil {
				return nil, err
			}
			for i := 0; i < len(rows); {
				r := rows[i]
				j := i + 1
				for j < len(rows) && rows[j].self == r.self && rows[j].other == r.other {
					j++
				}
				if !in[r.other] {
					if len(g.Nodes) >= limit {
						g.Truncated = true
						break
					}
					in[r.other] = true
					g.Nodes = append(g.Nodes, sluice.ColumnGraphNode{Guid: r.other, Depth: depth + 1})
					next = append(next, r.other)
				}
				e := sluice.ColumnGraphEdge{From: r.self, To: r.other, Kind: r.kind}
				if up {
					e.From, e.To = r.other, r.self
				}
				for _, x := range rows[i:j] {
					e.Kind = min(e.Kind, x.kind)
					if len(e.Files) == 0 || e.Files[len(e.Files)-1] != x.file.ID {
						e.Files = append(e.Files, x.file.ID)
					}
					if _, ok := files[x.file.ID]; !ok {
						files[x.file.ID] = x.file
					}
				}
				g.Edges = append(g.Edges, e)
				i = j
			}
		}
		slices.Sort(next)
		frontier = next
	}
	// The walk stopped at q.Depth with columns whose own lineage it did not follow: say whether there is any.
	for start := 0; depth == q.Depth && !g.Truncated && !g.DepthLimited && start < len(frontier); start += graphChunk {
		var err error
		if g.DepthLimited, err = w.anyNeighbour(ctx, frontier[start:min(start+graphChunk, len(frontier))]); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		g.Files = append(g.Files, f)
	}
	slices.SortFunc(g.Files, func(a, b sluice.GraphFile) int { return cmp.Compare(a.ID, b.ID) })
	return g, nil
}
