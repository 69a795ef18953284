package sqlstore

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// graphChunk bounds the guids of one IN list.
const graphChunk = 500

// graphBuilder accumulates a lineage graph under a node limit.
type graphBuilder struct {
	g     *sluice.LineageGraph
	limit int
	seen  map[string]bool
	edges map[sluice.GraphEdge]bool
}

// add adds a node unless it is there already; it reports whether the node is in the graph afterwards.
func (b *graphBuilder) add(n sluice.GraphNode) (added, present bool) {
	if b.seen[n.ID] {
		return false, true
	}
	if len(b.g.Nodes) >= b.limit {
		b.g.Truncated = true
		return false, false
	}
	b.seen[n.ID] = true
	b.g.Nodes = append(b.g.Nodes, n)
	return true, true
}

func (b *graphBuilder) edge(from, to string) {
	e := sluice.GraphEdge{From: from, To: to}
	if b.seen[from] && b.seen[to] && !b.edges[e] {
		b.edges[e] = true
		b.g.Edges = append(b.g.Edges, e)
	}
}

func tableNode(guid string, depth int) sluice.GraphNode {
	ref, _ := sluice.ParseTableGuid(guid)
	return sluice.GraphNode{ID: guid, Kind: sluice.GraphTable, Name: ref.Name, Depth: depth}
}

// FindLineageGraph walks table lineage breadth first from q.Guid, one query per hop and chunk of the frontier:
// every current DEV node reading (downstream) or writing (upstream) a frontier table, with the tables it writes
// (reads), and the manual relations of the frontier. Nodes are added in the order found, frontier tables
// sorted, until q.Limit; then Truncated is set.
func (db *DB) FindLineageGraph(ctx context.Context, q sluice.GraphQuery) (*sluice.LineageGraph, error) {
	b := &graphBuilder{g: &sluice.LineageGraph{Root: q.Guid, Direction: q.Direction, Depth: q.Depth,
		Nodes: []sluice.GraphNode{}, Edges: []sluice.GraphEdge{}}, limit: q.Limit, seen: map[string]bool{}, edges: map[sluice.GraphEdge]bool{}}
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
	frontier := []string{q.Guid}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !b.g.Truncated; depth++ {
		var next []string
		for start := 0; start < len(frontier) && !b.g.Truncated; start += graphChunk {
			chunk := frontier[start:min(start+graphChunk, len(frontier))]
			marks := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
			args := make([]any, 0, len(chunk)+2)
			args = append(args, to, from)
			for _, g := range chunk {
				args = append(args, g)
			}
			rows, err := db.r.QueryContext(ctx, db.q("SELECT i.guid, n.id, n.name, n.project_id, COALESCE(o.guid, '') FROM version_lineage i"+
				currentJoin("i", "n", "DEV")+
				" LEFT JOIN version_lineage o ON o.file_id = i.file_id AND o.version = i.version AND o.direction = ? AND o.guid <> i.guid"+
				" WHERE i.direction = ? AND i.guid IN ("+marks+")"+inProjects("n.project_id", q.ProjectIDs)+
				" ORDER BY i.guid, n.id, o.guid"), args...)
			if err != nil {
				return nil, err
			}
			for !b.g.Truncated && rows.Next() {
				var t, o, name string
				var id, pid int64
				if err := rows.Scan(&t, &id, &name, &pid, &o); err != nil {
					rows.Close()
					return nil, err
				}
				task := strconv.FormatInt(id, 10)
				b.add(sluice.GraphNode{ID: task, Kind: sluice.GraphTask, Name: name, ProjectID: pid, Depth: depth})
				if up {
					b.edge(task, t)
				} else {
					b.edge(t, task)
				}
				if o == "" {
					continue
				}
				if added, _ := b.add(tableNode(o, depth)); added {
					next = append(next, o)
				}
				if up {
					b.edge(o, task)
				} else {
					b.edge(task, o)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}

			rargs := make([]any, 0, len(chunk))
			for _, g := range chunk {
				rargs = append(rargs, g)
			}
			rrows, err := db.r.QueryContext(ctx, db.q("SELECT "+self+", "+other+" FROM lineage_relations WHERE "+self+" IN ("+marks+")"+
				inProjects("project_id", q.ProjectIDs)+" ORDER BY "+self+", "+other), rargs...)
			if err != nil {
				return nil, err
			}
			for rrows.Next() {
				var t, o string
				if err := rrows.Scan(&t, &o); err != nil {
					rrows.Close()
					return nil, err
				}
				if added, _ := b.add(tableNode(o, depth)); added {
					next = append(next, o)
				}
				if up {
					b.edge(o, t)
				} else {
					b.edge(t, o)
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
	return b.g, nil
}
