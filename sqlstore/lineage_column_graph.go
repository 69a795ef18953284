package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// countedVersions renders which version of each file counts for column lineage: a statement over the files
// (their ids one parameter) giving, for each file whose version counts, that version, the file's project, its
// current DEV node (0 when it has none) and its name. With asOf zero it is the version the file's DEV node runs
// now (the current lineage of FindColumnLinks: a deleted file has no node and drops out); otherwise the file's
// last version committed at or before asOf, unless that version deleted the file. It is the one place that
// decides what "current" means for the column graph.
func (db *DB) countedVersions(asOf time.Time, files []int64) (query string, args []any) {
	if asOf.IsZero() {
		// A file has one node id, so one DEV node: ordered by id, the first row of a file is the one kept.
		list, args := db.intList("n.file_id", files)
		return "SELECT n.file_id, n.file_version, n.project_id, n.id, n.name FROM nodes n WHERE n.env = 'DEV' AND " + list +
			" ORDER BY n.file_id, n.id", args
	}
	// A version is the last at asOf when no later version of its file was committed by then: file_versions'
	// primary key (file_id, version) answers both with short ranges. A delete records a last version of its
	// own, without lineage, which hides the versions before it and does not count itself.
	list, args := db.intList("v.file_id", files)
	t := millis(asOf)
	return "SELECT v.file_id, v.version, v.project_id, COALESCE(n.id, 0), v.name FROM file_versions v" +
		" LEFT JOIN nodes n ON n.file_id = v.file_id AND n.env = 'DEV'" +
		" WHERE " + list + " AND v.commit_time <= ? AND v.change_type <> '" + sluice.ChangeDelete + "'" +
		" AND NOT EXISTS (SELECT 1 FROM file_versions l WHERE l.file_id = v.file_id AND l.version > v.version AND l.commit_time <= ?)" +
		" ORDER BY v.file_id, n.id", append(args, t, t)
}

// intList renders "col IN list" for a list of integers bound to one parameter, as strList does for strings.
func (db *DB) intList(col string, list []int64) (string, []any) {
	if db.dialect == Postgres {
		return col + " = ANY(?)", []any{list}
	}
	j, _ := json.Marshal(list)
	return col + " IN (SELECT value FROM json_each(?))", []any{string(j)}
}

// columnGraphRow is one column lineage edge of a frontier column: the column, its neighbour, the file version.
type columnGraphRow struct {
	self, other, kind string
	file              int64
	version           int
}

// columnGraphWalk reads the column graph's hops: the edges of a part of the frontier, every version's, then
// the counted version of the files among them not read yet, each file once a walk; edges of other versions,
// or of files outside the project filter, are dropped here. Reading the edges alone keeps the statement on
// the index of its end (which carries file, version, other end and kind), and a file reached through many
// columns is looked up once.
type columnGraphWalk struct {
	db          *DB
	self, other string // version_column_lineage ends: the frontier's, and its neighbours'
	asOf        time.Time
	allowed     map[int64]bool              // project filter; nil: every project
	files       map[int64]*sluice.GraphFile // file id -> its counted version; nil when none counts
	want        []int64
}

func newColumnGraphWalk(db *DB, q sluice.ColumnGraphQuery) *columnGraphWalk {
	w := &columnGraphWalk{db: db, asOf: q.AsOf, allowed: allowed(q.ProjectIDs), files: map[int64]*sluice.GraphFile{}}
	w.self, w.other = columnEnds(q.Direction)
	return w
}

// hop reads the counted edges of part into dst, ordered by frontier column, neighbour, file.
func (w *columnGraphWalk) hop(ctx context.Context, part []string, dst []columnGraphRow) ([]columnGraphRow, error) {
	db := w.db
	cond, args, fixed := db.strList("e."+w.self, part)
	rows, err := db.queryFiltered(ctx, !fixed, "SELECT e."+w.self+", e."+w.other+", e.kind, e.file_id, e.version FROM version_column_lineage e"+
		" WHERE "+cond+" AND e."+w.other+" <> '' AND e."+w.other+" <> e."+w.self, args...)
	if err != nil {
		return dst, err
	}
	defer rows.Close()
	start := len(dst)
	w.want = w.want[:0]
	for rows.Next() {
		var r columnGraphRow
		if err := rows.Scan(&r.self, &r.other, &r.kind, &r.file, &r.version); err != nil {
			return dst, err
		}
		if _, ok := w.files[r.file]; !ok {
			w.files[r.file] = nil
			w.want = append(w.want, r.file)
		}
		dst = append(dst, r)
	}
	if err := rows.Err(); err != nil {
		return dst, err
	}
	rows.Close()
	for i := 0; i < len(w.want); i += graphChunk {
		if err := w.readFiles(ctx, w.want[i:min(i+graphChunk, len(w.want))]); err != nil {
			return dst, err
		}
	}
	kept := dst[:start]
	for _, r := range dst[start:] {
		if f := w.files[r.file]; f != nil && f.Version == r.version {
			kept = append(kept, r)
		}
	}
	// Sorted here rather than by the statement: the database then reads the index in whatever order suits it.
	slices.SortFunc(kept[start:], func(a, b columnGraphRow) int {
		return cmp.Or(strings.Compare(a.self, b.self), strings.Compare(a.other, b.other), cmp.Compare(a.file, b.file))
	})
	return kept, nil
}

// readFiles reads the counted versions of files (see countedVersions) into w.files, those of projects outside
// the filter left out.
func (w *columnGraphWalk) readFiles(ctx context.Context, files []int64) error {
	query, args := w.db.countedVersions(w.asOf, files)
	rows, err := w.db.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f sluice.GraphFile
		if err := rows.Scan(&f.ID, &f.Version, &f.ProjectID, &f.NodeID, &f.Name); err != nil {
			return err
		}
		if w.files[f.ID] == nil && (w.allowed == nil || w.allowed[f.ProjectID]) {
			w.files[f.ID] = &f
		}
	}
	return rows.Err()
}

// FindColumnGraph walks column lineage breadth first from q.Guids, hop by hop and per chunk of the frontier:
// a chunk's edges in one statement, then the files among them not met yet in one more (see columnGraphWalk and,
// for which version of a file counts, countedVersions). A chunk's edges are taken in the order of frontier
// column, then neighbour; a neighbour not in the graph yet joins it, one hop deeper than the column that led
// to it, until q.Limit columns are there; then Truncated is set and the walk stops. Every column is in one
// frontier at most, so each edge is found once: an edge's rows (one a file) are read together, its kind the
// first by name (as FindColumnLinks), its files sorted.
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
	used := map[int64]bool{} // the files of the edges in the graph
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
					e.Files = append(e.Files, x.file)
					used[x.file] = true
				}
				g.Edges = append(g.Edges, e)
				i = j
			}
		}
		slices.Sort(next)
		frontier = next
	}
	// The walk stopped at q.Depth with columns whose own lineage it did not follow: say whether there is any,
	// reading a few columns at a time, since the first one with a neighbour answers.
	for start := 0; depth == q.Depth && !g.Truncated && !g.DepthLimited && start < len(frontier); start += graphMinBatch {
		var err error
		if rows, err = w.hop(ctx, frontier[start:min(start+graphMinBatch, len(frontier))], rows[:0]); err != nil {
			return nil, err
		}
		g.DepthLimited = len(rows) > 0
	}
	for id := range used {
		g.Files = append(g.Files, *w.files[id])
	}
	slices.SortFunc(g.Files, func(a, b sluice.GraphFile) int { return cmp.Compare(a.ID, b.ID) })
	return g, nil
}
