package sqlstore

import (
	"context"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/storetest"
)

// The walk as first written (one unprepared IN-list query per hop and chunk, nodes and edges known by their
// text): the reference the prepared, indexed walk must answer exactly like.

const refChunk = 500

// refBuilder accumulates a lineage graph under a node limit.
type refBuilder struct {
	g     *sluice.LineageGraph
	limit int
	seen  map[string]bool
	edges map[sluice.GraphEdge]bool
}

// add adds a node unless it is there already; it reports whether the node is in the graph afterwards.
func (b *refBuilder) add(n sluice.GraphNode) (added, present bool) {
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

func (b *refBuilder) edge(from, to string) {
	e := sluice.GraphEdge{From: from, To: to}
	if b.seen[from] && b.seen[to] && !b.edges[e] {
		b.edges[e] = true
		b.g.Edges = append(b.g.Edges, e)
	}
}

func refTableNode(guid string, depth int) sluice.GraphNode {
	ref, _ := sluice.ParseTableGuid(guid)
	return sluice.GraphNode{ID: guid, Kind: sluice.GraphTable, Name: ref.Name, Depth: depth}
}

// refFindLineageGraph walks table lineage breadth first from q.Guid, one query per hop and chunk of the frontier:
// every current DEV node reading (downstream) or writing (upstream) a frontier table, with the tables it writes
// (reads), and the manual relations of the frontier. Nodes are added in the order found, frontier tables
// sorted, until q.Limit; then Truncated is set.
func (db *DB) refFindLineageGraph(ctx context.Context, q sluice.GraphQuery) (*sluice.LineageGraph, error) {
	b := &refBuilder{g: &sluice.LineageGraph{Root: q.Guid, Direction: q.Direction, Depth: q.Depth,
		Nodes: []sluice.GraphNode{}, Edges: []sluice.GraphEdge{}}, limit: q.Limit, seen: map[string]bool{}, edges: map[sluice.GraphEdge]bool{}}
	if b.limit <= 0 {
		b.limit = sluice.DefaultGraphLimit
	}
	b.add(refTableNode(q.Guid, 0))
	from, to := directions(q.Direction)
	up := q.Direction == sluice.Upstream
	self, other := "src", "dest"
	if up {
		self, other = "dest", "src"
	}
	frontier := []string{q.Guid}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !b.g.Truncated; depth++ {
		var next []string
		for start := 0; start < len(frontier) && !b.g.Truncated; start += refChunk {
			chunk := frontier[start:min(start+refChunk, len(frontier))]
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
				if added, _ := b.add(refTableNode(o, depth)); added {
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
				if added, _ := b.add(refTableNode(o, depth)); added {
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

// TestLineageGraphMatchesReference compares FindLineageGraph with the reference walk on random lineage: several
// projects, re-committed versions, nodes without lineage, manual relations, cycles, and every limit from 1 up.
func TestLineageGraphMatchesReference(t *testing.T) {
	EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) {
		checkGraphReference(t, OpenTest(t, newDSN(t), storetest.NewClock(storetest.Start).Now))
	})
}

func checkGraphReference(t *testing.T, db *DB) {
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	u := storetest.Seed(t, db, "ref", sluice.UserMember)
	var projects []int64
	for i := 0; i < 3; i++ {
		projects = append(projects, storetest.NewProject(t, db, "p"+strconv.Itoa(i), u).ID)
	}
	r := rand.New(rand.NewPCG(7, 8))
	const tables, files = 20, 150
	guid := func() string { return "odps.p" + strconv.Itoa(r.IntN(3)) + ".t" + strconv.Itoa(r.IntN(tables)) }
	for f := 0; f < files; f++ {
		pid := projects[r.IntN(3)]
		fileID := int64(1000 + f)
		cur := 1 + r.IntN(2)
		for v := 1; v <= 2; v++ {
			seen := map[string]bool{}
			for k, n := 0, r.IntN(6); k < n; k++ {
				dir, g := "in", guid()
				if r.IntN(3) == 0 {
					dir = "out"
				}
				if seen[dir+g] {
					continue
				}
				seen[dir+g] = true
				_, err := db.w.ExecContext(ctx, db.q("INSERT INTO version_lineage (project_id, file_id, version, direction, guid) VALUES (?, ?, ?, ?, ?)"),
					pid, fileID, v, dir, g)
				must(err)
			}
		}
		for _, env := range []string{"DEV", "PROD"} {
			if r.IntN(10) == 0 {
				continue // no node
			}
			_, err := db.w.ExecContext(ctx, db.q("INSERT INTO nodes (id, env, project_id, file_id, file_version, workflow_id, name, file_type, owner, description, scheduler_type, schedule, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, 10, '1', '', '', '{}', 0, 0)"),
				int64(5000+f), env, pid, fileID, cur, "task"+strconv.Itoa(f))
			must(err)
		}
	}
	for i := 0; i < 40; i++ {
		src, dest := guid(), guid()
		if src == dest {
			continue
		}
		err := db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: projects[r.IntN(3)], Src: src, Dest: dest, Type: "x", CreatedBy: "1"})
		if err != nil && sluice.ErrorCode(err) != sluice.ECONFLICT {
			t.Fatal(err)
		}
	}
	filters := [][]int64{nil, {}, projects[:1], projects[1:], projects}
	for g := 0; g < tables; g += 3 {
		for _, p := range []string{"p0", "p1", "p2"} {
			for _, dir := range []sluice.LineageDirection{sluice.Upstream, sluice.Downstream} {
				for _, ids := range filters {
					for _, limit := range []int{1, 2, 3, 5, 8, 13, 40, 100, 1000} {
						q := sluice.GraphQuery{Guid: "odps." + p + ".t" + strconv.Itoa(g), Direction: dir, Depth: 1 + r.IntN(6), Limit: limit, ProjectIDs: ids}
						want, err := db.refFindLineageGraph(ctx, q)
						must(err)
						if !want.Truncated {
							// Lineage goes on beyond the depth exactly when one more hop adds edges.
							dq := q
							dq.Depth, dq.Limit = q.Depth+1, 1<<30
							deeper, err := db.refFindLineageGraph(ctx, dq)
							must(err)
							want.DepthLimited = len(deeper.Edges) > len(want.Edges)
						}
						got, err := db.FindLineageGraph(ctx, q)
						must(err)
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%+v:\n got %+v\nwant %+v", q, got, want)
						}
					}
				}
			}
		}
	}
}

// inProjects (the reference walk's project filter) renders "AND col IN (...)" for a project filter (nil: no filter). The ids are integers the store
// formats itself, so the text is safe; queries with a filter are not kept prepared.
func inProjects(col string, ids []int64) string {
	if ids == nil {
		return ""
	}
	if len(ids) == 0 {
		return " AND 1 = 0"
	}
	var b strings.Builder
	b.WriteString(" AND " + col + " IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(')')
	return b.String()
}
