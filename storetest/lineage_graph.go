package storetest

import (
	"cmp"
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/sluice-dev/sluice"
)

// testLineageGraph compares FindLineageGraph with the walk as first specified, run over the lineage the case
// wrote, on random lineage: several projects, re-committed versions, versions without lineage, files never
// committed, deployed to PROD and deleted, manual relations, cycles, every project filter and every limit
// from 1 up.
func testLineageGraph(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	owner := Seed(t, db, "ref", sluice.UserMember)
	var projects []*fileFixture
	for i := range 3 {
		projects = append(projects, newProjectFixture(t, db, clock, "p"+strconv.Itoa(i), owner))
	}
	r := rand.New(rand.NewPCG(7, 8))
	const tables, files = 20, 150
	guid := func() string { return "odps.p" + strconv.Itoa(r.IntN(3)) + ".t" + strconv.Itoa(r.IntN(tables)) }
	var m graphModel
	for i := range files {
		x := projects[r.IntN(3)]
		f := x.file(t, "task"+strconv.Itoa(i), x.folder.Path, 10, "1001")
		if r.IntN(10) == 0 {
			continue // a draft: no node
		}
		n := graphModelNode{projectID: x.project.ID, name: f.Name}
		for v := range 1 + r.IntN(2) {
			n.in, n.out = nil, nil
			for range r.IntN(6) {
				dir, g := &n.in, guid()
				if r.IntN(3) == 0 {
					dir = &n.out
				}
				if !slices.Contains(*dir, g) {
					*dir = append(*dir, g)
				}
			}
			version, _, err := commit(ctx, db, x.project.ID, f.ID, "1001", "", fixedLineage(n.in, n.out))
			must(t, err)
			n.id = version.NodeID
			if v == 0 && r.IntN(4) == 0 {
				_, err := deploy(ctx, db, x.project.ID, f.ID, "1001") // PROD runs the first version: not walked
				must(t, err)
			}
		}
		if r.IntN(10) == 0 {
			_, err := remove(ctx, db, x.project.ID, f.ID, "1001") // deleted: its lineage stays, its nodes go
			must(t, err)
			continue
		}
		m.nodes = append(m.nodes, n)
	}
	for range 40 {
		src, dest := guid(), guid()
		if src == dest {
			continue
		}
		rel := &sluice.LineageRelation{ProjectID: projects[r.IntN(3)].project.ID, Src: src, Dest: dest, Type: "x", CreatedBy: "1"}
		switch err := db.CreateLineageRelation(ctx, rel); {
		case err == nil:
			m.relations = append(m.relations, rel)
		case sluice.ErrorCode(err) != sluice.ECONFLICT:
			t.Fatal(err)
		}
	}

	ids := []int64{projects[0].project.ID, projects[1].project.ID, projects[2].project.ID}
	filters := [][]int64{nil, {}, ids[:1], ids[1:], ids}
	for g := 0; g < tables; g += 3 {
		for _, p := range []string{"p0", "p1", "p2"} {
			for _, dir := range []sluice.LineageDirection{sluice.Upstream, sluice.Downstream} {
				for _, ids := range filters {
					for _, limit := range []int{1, 2, 3, 5, 8, 13, 40, 100, 1000} {
						q := sluice.GraphQuery{Guid: "odps." + p + ".t" + strconv.Itoa(g), Direction: dir, Depth: 1 + r.IntN(6), Limit: limit, ProjectIDs: ids}
						want := m.walk(q)
						if !want.Truncated {
							// Lineage goes on beyond the depth exactly when one more hop adds edges.
							dq := q
							dq.Depth, dq.Limit = q.Depth+1, 1<<30
							want.DepthLimited = len(m.walk(dq).Edges) > len(want.Edges)
						}
						got, err := db.FindLineageGraph(ctx, q)
						must(t, err)
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%+v:\n got %+v\nwant %+v", q, got, want)
						}
					}
				}
			}
		}
	}
}

// graphModel is the table lineage a case wrote: the current DEV node of every file kept, with the tables its
// version reads and writes, and the manual relations.
type graphModel struct {
	nodes     []graphModelNode
	relations []*sluice.LineageRelation
}

type graphModelNode struct {
	id, projectID int64
	name          string
	in, out       []string
}

// walk is the table lineage graph as first specified: breadth first from q.Guid, one hop at a time over the
// frontier's tables in guid order. A hop takes first every current DEV node reading (downstream) or writing
// (upstream) a frontier table, with each table the node's version writes (reads) besides it, in the order of
// frontier table, node id and other table; then the frontier's manual relations, in the order of their two
// ends. Nodes are added in that order until q.Limit, and an edge joins two nodes in the graph.
func (m *graphModel) walk(q sluice.GraphQuery) *sluice.LineageGraph {
	g := &sluice.LineageGraph{Root: q.Guid, Direction: q.Direction, Depth: q.Depth, Nodes: []sluice.GraphNode{}, Edges: []sluice.GraphEdge{}}
	limit := q.Limit
	if limit <= 0 {
		limit = sluice.DefaultGraphLimit
	}
	seen, edges := map[string]bool{}, map[sluice.GraphEdge]bool{}
	add := func(n sluice.GraphNode) (added bool) {
		if seen[n.ID] {
			return false
		}
		if len(g.Nodes) >= limit {
			g.Truncated = true
			return false
		}
		seen[n.ID] = true
		g.Nodes = append(g.Nodes, n)
		return true
	}
	up := q.Direction == sluice.Upstream
	edge := func(near, far string) { // near is the frontier's side
		e := sluice.GraphEdge{From: near, To: far}
		if up {
			e = sluice.GraphEdge{From: far, To: near}
		}
		if seen[e.From] && seen[e.To] && !edges[e] {
			edges[e] = true
			g.Edges = append(g.Edges, e)
		}
	}
	table := func(guid string, depth int) sluice.GraphNode {
		ref, _ := sluice.ParseTableGuid(guid)
		return sluice.GraphNode{ID: guid, Kind: sluice.GraphTable, Name: ref.Name, Depth: depth}
	}
	inProjects := func(id int64) bool { return q.ProjectIDs == nil || slices.Contains(q.ProjectIDs, id) }

	add(table(q.Guid, 0))
	frontier := []string{q.Guid}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !g.Truncated; depth++ {
		type row struct {
			table string
			node  *graphModelNode
			other string // "" when the version has no other table that way
		}
		var rows []row
		for i := range m.nodes {
			n := &m.nodes[i]
			near, far := n.in, n.out
			if up {
				near, far = n.out, n.in
			}
			if !inProjects(n.projectID) {
				continue
			}
			for _, t := range near {
				if !slices.Contains(frontier, t) {
					continue
				}
				others := slices.DeleteFunc(slices.Clone(far), func(o string) bool { return o == t })
				if len(others) == 0 {
					rows = append(rows, row{t, n, ""})
				}
				for _, o := range others {
					rows = append(rows, row{t, n, o})
				}
			}
		}
		slices.SortFunc(rows, func(a, b row) int {
			return cmp.Or(cmp.Compare(a.table, b.table), cmp.Compare(a.node.id, b.node.id), cmp.Compare(a.other, b.other))
		})
		var next []string
		for _, r := range rows {
			if g.Truncated {
				break
			}
			task := strconv.FormatInt(r.node.id, 10)
			add(sluice.GraphNode{ID: task, Kind: sluice.GraphTask, Name: r.node.name, ProjectID: r.node.projectID, Depth: depth})
			edge(r.table, task)
			if r.other == "" {
				continue
			}
			if add(table(r.other, depth)) {
				next = append(next, r.other)
			}
			edge(task, r.other)
		}
		var rels [][2]string
		for _, rel := range m.relations {
			near, far := rel.Src, rel.Dest
			if up {
				near, far = rel.Dest, rel.Src
			}
			if inProjects(rel.ProjectID) && slices.Contains(frontier, near) {
				rels = append(rels, [2]string{near, far})
			}
		}
		slices.SortFunc(rels, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		for _, rel := range rels {
			if add(table(rel[1], depth)) {
				next = append(next, rel[1])
			}
			edge(rel[0], rel[1])
		}
		slices.Sort(next)
		frontier = next
	}
	return g
}
