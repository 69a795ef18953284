package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

// graphChunk bounds the frontier tables of one step of a hop: their nodes' rows, then their manual relations.
const graphChunk = 500

// graphMinBatch is the fewest frontier tables one node query asks for. Within a chunk the walk asks for about as
// many tables as the node limit still allows nodes, so a walk the limit stops does not read rows it would drop.
const graphMinBatch = 64

// graphBuilder accumulates a lineage graph under a node limit. Nodes are known by their index in g.Nodes:
// tables by guid, tasks by id (tasks also by their id's text in ids, which is what the graph names them by).
type graphBuilder struct {
	g     *sluice.LineageGraph
	limit int
	ids   map[string]int32 // node ID -> index in g.Nodes
	tasks map[int64]int32  // task id -> index in g.Nodes, a cache in front of ids
	edges map[uint64]struct{}
}

// add adds a node unless it is there already; it returns the node's index, or -1 when the limit kept it out,
// and whether it was added now.
func (b *graphBuilder) add(n sluice.GraphNode) (int32, bool) {
	if i, ok := b.ids[n.ID]; ok {
		return i, false
	}
	if len(b.g.Nodes) >= b.limit {
		b.g.Truncated = true
		return -1, false
	}
	i := int32(len(b.g.Nodes))
	b.ids[n.ID] = i
	b.g.Nodes = append(b.g.Nodes, n)
	return i, true
}

// table adds the table node guid (given as bytes a row lends) unless it is there already.
func (b *graphBuilder) table(guid []byte, depth int) (int32, bool) {
	if i, ok := b.ids[string(guid)]; ok {
		return i, false
	}
	return b.add(tableNode(string(guid), depth))
}

// task adds the task node id unless it is there already; name is read only when it is added.
func (b *graphBuilder) task(id int64, name []byte, projectID int64, depth int) int32 {
	if i, ok := b.tasks[id]; ok {
		return i
	}
	i, _ := b.add(sluice.GraphNode{ID: strconv.FormatInt(id, 10), Kind: sluice.GraphTask, Name: string(name), ProjectID: projectID, Depth: depth})
	if i >= 0 {
		b.tasks[id] = i
	}
	return i
}

// edge adds the edge between two nodes of the graph (-1: not in it) unless it is there already.
func (b *graphBuilder) edge(from, to int32) {
	if from < 0 || to < 0 {
		return
	}
	k := uint64(uint32(from))<<32 | uint64(uint32(to))
	if _, ok := b.edges[k]; ok {
		return
	}
	b.edges[k] = struct{}{}
	b.g.Edges = append(b.g.Edges, sluice.GraphEdge{From: b.g.Nodes[from].ID, To: b.g.Nodes[to].ID})
}

func tableNode(guid string, depth int) sluice.GraphNode {
	ref, _ := sluice.ParseTableGuid(guid)
	return sluice.GraphNode{ID: guid, Kind: sluice.GraphTable, Name: ref.Name, Depth: depth}
}

// strList renders "col IN list" for a list of strings bound to one parameter, which keeps the statement's
// text fixed: an array with = ANY on PostgreSQL, a JSON array read by json_each on SQLite. A string JSON cannot
// carry as it is (invalid UTF-8, which only SQLite stores) falls back to one placeholder per string; fixed
// reports whether the text is the fixed one.
func (db *DB) strList(col string, list []string) (cond string, args []any, fixed bool) {
	if db.dialect == Postgres {
		return col + " = ANY(?)", []any{list}, true
	}
	for _, s := range list {
		if !utf8.ValidString(s) {
			args = make([]any, len(list))
			for i, s := range list {
				args[i] = s
			}
			return col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(list)), ",") + ")", args, false
		}
	}
	j, _ := json.Marshal(list)
	return col + " IN (SELECT value FROM json_each(?))", []any{string(j)}, true
}

// projectFilter renders the graph's project filter on col with its argument: none for nil, no row for empty.
func (db *DB) projectFilter(col string, ids []int64) (string, []any) {
	switch {
	case ids == nil:
		return "", nil
	case len(ids) == 0:
		return " AND 1 = 0", nil
	case db.dialect == Postgres:
		return " AND " + col + " = ANY(?)", []any{ids}
	}
	j, _ := json.Marshal(ids)
	return " AND " + col + " IN (SELECT value FROM json_each(?))", []any{string(j)}
}

// graphNodes queries a hop's node rows for frontier tables: every current DEV node reading or writing one
// (direction self), with each of its tables of direction other, in the order (table, node, other table).
// PostgreSQL walks the list (unnest), so its plan looks each table and its node up by index whatever the
// list's length (an IN list of hundreds let it join every node instead); SQLite's plan for IN does the same.
func (db *DB) graphNodes(ctx context.Context, self, other string, tables []string, projects string, projectArgs []any) (*sql.Rows, error) {
	const cols = "SELECT i.guid, n.id, n.name, n.project_id, COALESCE(o.guid, '') FROM "
	rest := currentJoin("i", "n", "DEV") +
		" LEFT JOIN version_lineage o ON o.file_id = i.file_id AND o.version = i.version AND o.direction = ? AND o.guid <> i.guid"
	if db.dialect == Postgres {
		return db.query(ctx, cols+"unnest(CAST(? AS text[])) AS f(guid) JOIN version_lineage i ON i.guid = f.guid AND i.direction = ?"+
			rest+" WHERE TRUE"+projects+" ORDER BY i.guid, n.id, o.guid", append([]any{tables, self, other}, projectArgs...)...)
	}
	cond, args, fixed := db.strList("i.guid", tables)
	return db.queryFiltered(ctx, !fixed, cols+"version_lineage i"+rest+" WHERE i.direction = ? AND "+cond+projects+
		" ORDER BY i.guid, n.id, o.guid", append(append([]any{other, self}, args...), projectArgs...)...)
}

// FindLineageGraph walks table lineage breadth first from q.Guid, hop by hop and per chunk of the frontier:
// every current DEV node reading (downstream) or writing (upstream) a frontier table, with the tables it writes
// (reads), and the manual relations of the frontier. Nodes are added in the order found, frontier tables
// sorted, until q.Limit; then Truncated is set. The statements are prepared once and take the frontier as
// one list parameter.
func (db *DB) FindLineageGraph(ctx context.Context, q sluice.GraphQuery) (*sluice.LineageGraph, error) {
	b := &graphBuilder{g: &sluice.LineageGraph{Root: q.Guid, Direction: q.Direction, Depth: q.Depth,
		Nodes: []sluice.GraphNode{}, Edges: []sluice.GraphEdge{}}, limit: q.Limit,
		ids: map[string]int32{}, tasks: map[int64]int32{}, edges: map[uint64]struct{}{}}
	if b.limit <= 0 {
		b.limit = sluice.DefaultGraphLimit
	}
	b.add(tableNode(q.Guid, 0))
	from, to := directions(q.Direction)
	up := q.Direction == sluice.Upstream
	self, other := "src", "dest"
	if up {
		self, other = "dest", "src"
	}
	nodeProjects, nodeProjectArgs := db.projectFilter("n.project_id", q.ProjectIDs)
	relProjects, relProjectArgs := db.projectFilter("project_id", q.ProjectIDs)

	var t, name, o sql.RawBytes
	var id, pid int64
	frontier := []string{q.Guid}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !b.g.Truncated; depth++ {
		var next []string
		for start := 0; start < len(frontier) && !b.g.Truncated; start += graphChunk {
			chunk := frontier[start:min(start+graphChunk, len(frontier))]
			// The chunk's node rows, in parts of the chunk: the rows are ordered by frontier table first and
			// the frontier is sorted, so the parts' rows, one after the other, are the chunk's.
			for pos := 0; pos < len(chunk) && !b.g.Truncated; {
				n := min(len(chunk)-pos, max(graphMinBatch, b.limit-len(b.g.Nodes)))
				part := chunk[pos : pos+n]
				pos += n
				rows, err := db.graphNodes(ctx, from, to, part, nodeProjects, nodeProjectArgs)
				if err != nil {
					return nil, err
				}
				var ti int32
				var tGuid []byte
				for !b.g.Truncated && rows.Next() {
					if err := rows.Scan(&t, &id, &name, &pid, &o); err != nil {
						rows.Close()
						return nil, err
					}
					if tGuid == nil || string(t) != string(tGuid) {
						// A frontier table: in the graph already.
						var ok bool
						if ti, ok = b.ids[string(t)]; !ok {
							ti = -1
						}
						tGuid = append(tGuid[:0:0], t...)
					}
					task := b.task(id, name, pid, depth)
					if up {
						b.edge(task, ti)
					} else {
						b.edge(ti, task)
					}
					if len(o) == 0 {
						continue
					}
					oi, added := b.table(o, depth)
					if added {
						next = append(next, b.g.Nodes[oi].ID)
					}
					if up {
						b.edge(oi, task)
					} else {
						b.edge(task, oi)
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, err
				}
			}

			cond, args, fixed := db.strList(self, chunk)
			rrows, err := db.queryFiltered(ctx, !fixed, "SELECT "+self+", "+other+" FROM lineage_relations WHERE "+cond+relProjects+
				" ORDER BY "+self+", "+other, append(args, relProjectArgs...)...)
			if err != nil {
				return nil, err
			}
			for rrows.Next() {
				if err := rrows.Scan(&t, &o); err != nil {
					rrows.Close()
					return nil, err
				}
				ti, ok := b.ids[string(t)]
				if !ok {
					ti = -1
				}
				oi, added := b.table(o, depth)
				if added {
					next = append(next, b.g.Nodes[oi].ID)
				}
				if up {
					b.edge(oi, ti)
				} else {
					b.edge(ti, oi)
				}
			}
			rrows.Close()
			if err := rrows.Err(); err != nil {
				return nil, err
			}
		}
		sort.Strings(next)
		frontier = next
	}
	// The walk stopped at q.Depth with tables whose own lineage it did not follow: say whether there is any.
	for start := 0; !b.g.Truncated && !b.g.DepthLimited && start < len(frontier); start += graphChunk {
		chunk := frontier[start:min(start+graphChunk, len(frontier))]
		rows, err := db.graphNodes(ctx, from, to, chunk, nodeProjects, nodeProjectArgs)
		if err != nil {
			return nil, err
		}
		b.g.DepthLimited = rows.Next()
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if b.g.DepthLimited {
			break
		}
		cond, args, fixed := db.strList(self, chunk)
		rrows, err := db.queryFiltered(ctx, !fixed, "SELECT "+self+" FROM lineage_relations WHERE "+cond+relProjects, append(args, relProjectArgs...)...)
		if err != nil {
			return nil, err
		}
		b.g.DepthLimited = rrows.Next()
		rrows.Close()
		if err := rrows.Err(); err != nil {
			return nil, err
		}
	}
	return b.g, nil
}
