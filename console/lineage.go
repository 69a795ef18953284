package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
)

// The lineage graph as the page draws it: tables and tasks (or columns) and the edges between them, along the
// data flow. Every answer is the core's: FindLineageGraph and FindColumnGraph walk the lineage through the
// caller's readable projects; this file only merges the two directions and names what the page links to.

// GraphNode is a node of a drawn lineage graph. ID is a table guid, a task's node id in decimal or a column
// guid (the three never collide: guids start with "odps."). Depth is signed: upstream of the root is
// negative, so a page can place the layers without re-walking the edges.
type GraphNode struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"` // table, task or column
	Label   string `json:"label"`
	Project string `json:"project,omitempty"`
	Depth   int    `json:"depth"`
	Root    bool   `json:"root,omitempty"`
	Table   string `json:"table,omitempty"`   // a column's table guid
	FileID  int64  `json:"fileId,omitempty"`  // a task's file
	Version int    `json:"version,omitempty"` // the file version the task runs
	Env     string `json:"env,omitempty"`     // a task's environment
}

// GraphEdge points along the data flow, from Source to Target. A column edge has the kind of the edge and the
// files whose versions make it.
type GraphEdge struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Kind   string  `json:"kind,omitempty"`
	Files  []int64 `json:"files,omitempty"`
}

// GraphFile is a file whose version makes edges of a column graph.
type GraphFile struct {
	ID      int64  `json:"id"`
	Project string `json:"project"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	NodeID  int64  `json:"nodeId,omitempty"`
}

// Graph is a lineage graph. Truncated is set when the node limit cut it short (in either direction);
// DepthLimited when lineage goes on beyond the depth asked for.
type Graph struct {
	Roots        []string    `json:"roots"`
	Direction    string      `json:"direction"` // up, down or both
	Depth        int         `json:"depth"`
	Limit        int         `json:"limit"`
	AsOf         string      `json:"asOf,omitempty"` // column graphs only: lineage as it stood then
	Nodes        []GraphNode `json:"nodes"`
	Edges        []GraphEdge `json:"edges"`
	Files        []GraphFile `json:"files,omitempty"`
	Truncated    bool        `json:"truncated"`
	DepthLimited bool        `json:"depthLimited"`
}

func (s *server) lineageRoutes(api func(string, handler)) {
	api("GET /console/api/lineage/graph", s.lineageGraph)
	api("GET /console/api/lineage/columns/graph", s.columnGraph)
	api("GET /console/api/projects/{project}/tables", s.listTables)
	api("GET /console/api/projects/{project}/tables/{table}", s.getTable)
	api("GET /console/api/projects/{project}/tables/{table}/columns/{column}/lineage", s.columnLineage)
}

// graphParams reads direction (up, down or both; default both), depth and limit (the core's defaults and
// bounds), refusing anything else before the core is asked.
func graphParams(r *http.Request) (dirs []sluice.LineageDirection, dir string, depth, limit int, err error) {
	dir = r.URL.Query().Get("direction")
	switch dir {
	case "", "both":
		dir, dirs = "both", []sluice.LineageDirection{sluice.Upstream, sluice.Downstream}
	case "up":
		dirs = []sluice.LineageDirection{sluice.Upstream}
	case "down":
		dirs = []sluice.LineageDirection{sluice.Downstream}
	default:
		return nil, "", 0, 0, sluice.Errorf(sluice.EINVALID, "The direction %q is invalid: use up, down or both.", dir)
	}
	if depth, err = intParam(r, "depth", sluice.DefaultGraphDepth, 1, sluice.MaxGraphDepth); err != nil {
		return nil, "", 0, 0, err
	}
	if limit, err = intParam(r, "limit", sluice.DefaultGraphLimit, 1, sluice.MaxGraphLimit); err != nil {
		return nil, "", 0, 0, err
	}
	return dirs, dir, depth, limit, nil
}

// graphBuilder merges the walks of a graph (both directions, several roots) into one answer, each node once
// at its depth nearest the root, each edge once, and never more nodes than the limit.
type graphBuilder struct {
	g     Graph
	index map[string]int
	edges map[[2]string]int
}

func newGraphBuilder(dir string, depth, limit int) *graphBuilder {
	return &graphBuilder{g: Graph{Roots: []string{}, Direction: dir, Depth: depth, Limit: limit, Nodes: []GraphNode{}, Edges: []GraphEdge{}},
		index: map[string]int{}, edges: map[[2]string]int{}}
}

// node adds n, or moves an existing node nearer the root; it reports false when the limit leaves no room.
func (b *graphBuilder) node(n GraphNode) bool {
	if i, ok := b.index[n.ID]; ok {
		old := &b.g.Nodes[i]
		if abs(n.Depth) < abs(old.Depth) {
			old.Depth = n.Depth
		}
		old.Root = old.Root || n.Root
		return true
	}
	if len(b.g.Nodes) >= b.g.Limit {
		b.g.Truncated = true
		return false
	}
	b.index[n.ID] = len(b.g.Nodes)
	b.g.Nodes = append(b.g.Nodes, n)
	return true
}

// edge adds an edge between two nodes of the graph; an edge to a node the limit left out is left out too.
func (b *graphBuilder) edge(e GraphEdge) {
	_, okS := b.index[e.Source]
	_, okT := b.index[e.Target]
	if !okS || !okT {
		return
	}
	k := [2]string{e.Source, e.Target}
	if _, ok := b.edges[k]; ok {
		return
	}
	b.edges[k] = len(b.g.Edges)
	b.g.Edges = append(b.g.Edges, e)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// names looks up what the graph's task nodes need for links: the node's file and version, and project
// names, each once a request.
type names struct {
	s        *server
	ctx      context.Context
	projects map[int64]string
}

func (n *names) project(id int64) string {
	if name, ok := n.projects[id]; ok {
		return name
	}
	name := ""
	if p, err := n.s.Projects.Authorize(n.ctx, sluice.ProjectByID(id), sluice.Read); err == nil {
		name = p.Name
	}
	n.projects[id] = name
	return name
}

func tableNode(guid string, depth int) GraphNode {
	n := GraphNode{ID: guid, Kind: sluice.GraphTable, Label: guid, Depth: depth}
	if ref, err := sluice.ParseTableGuid(guid); err == nil {
		n.Project, n.Label = ref.Project, ref.Name
		if ref.Schema != "" {
			n.Label = ref.Schema + "." + ref.Name
		}
	}
	return n
}

func (n *names) taskNode(node *sluice.Node, depth int) GraphNode {
	return GraphNode{ID: strconv.FormatInt(node.ID, 10), Kind: sluice.GraphTask, Label: node.Name, Project: n.project(node.ProjectID),
		Depth: depth, FileID: node.FileID, Version: node.FileVersion, Env: string(node.Env)}
}

// addTableGraph walks the core's table graph from guid in each direction and merges it in, shifting depths by
// shift (a node root's tables are one hop from it). Tasks are looked up for their files; a task the caller
// can no longer find (deleted meanwhile) keeps its name only.
func (s *server) addTableGraph(ctx context.Context, b *graphBuilder, nm *names, guid string, dirs []sluice.LineageDirection, depth, shift int) error {
	for _, d := range dirs {
		room := b.g.Limit - len(b.g.Nodes)
		if room < 1 {
			b.g.Truncated = true
			return nil
		}
		g, err := s.Lineage.FindLineageGraph(ctx, sluice.GraphQuery{Guid: guid, Direction: d, Depth: depth, Limit: min(b.g.Limit, sluice.MaxGraphLimit)})
		if err != nil {
			return err
		}
		b.g.Truncated = b.g.Truncated || g.Truncated
		b.g.DepthLimited = b.g.DepthLimited || g.DepthLimited
		sign := 1
		if d == sluice.Upstream {
			sign = -1
		}
		for _, gn := range g.Nodes {
			depth := sign * (gn.Depth + shift)
			var n GraphNode
			if gn.Kind == sluice.GraphTask {
				id, _ := strconv.ParseInt(gn.ID, 10, 64)
				if node, err := s.Files.FindNode(ctx, id, sluice.EnvDev); err == nil {
					n = nm.taskNode(node, depth)
				} else {
					n = GraphNode{ID: gn.ID, Kind: sluice.GraphTask, Label: gn.Name, Project: nm.project(gn.ProjectID), Depth: depth}
				}
			} else {
				n = tableNode(gn.ID, depth)
			}
			n.Root = gn.ID == g.Root && shift == 0
			b.node(n)
		}
		for _, e := range g.Edges {
			b.edge(GraphEdge{Source: e.From, Target: e.To})
		}
	}
	return nil
}

// lineageGraph answers GET /lineage/graph?table=GUID|node=ID(&env=dev|prod&version=N)&direction=&depth=&limit=. A table
// root is the core's table graph, in both directions when asked. A node root is the task with the tables its
// version reads and writes (the version the node runs in env), and the table graph upstream of what it reads
// and downstream of what it writes: a task has no lineage of its own beyond its tables. With version, the
// task's tables are those of that committed version of its file instead. The core's table graph
// has no "as of" (only the column graph has), so neither has this answer.
func (s *server) lineageGraph(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	dirs, dir, depth, limit, err := graphParams(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	table, nodeParam := strings.TrimSpace(q.Get("table")), strings.TrimSpace(q.Get("node"))
	if q.Get("version") != "" && nodeParam == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The version parameter goes with node: it picks the committed version of the task's file to start from.")
	}
	if q.Get("asOf") != "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The table lineage graph has no asOf: only the column graph is kept as of a time.")
	}
	if (table == "") == (nodeParam == "") {
		return nil, sluice.Errorf(sluice.EINVALID, "Give exactly one of table (a table guid odps.<project>.<table>) and node (a node id).")
	}
	b := newGraphBuilder(dir, depth, limit)
	nm := &names{s: s, ctx: ctx, projects: map[int64]string{}}
	if table != "" {
		ref, err := sluice.ParseTableGuid(table)
		if err != nil {
			return nil, err
		}
		b.g.Roots = append(b.g.Roots, ref.Guid())
		if err := s.addTableGraph(ctx, b, nm, ref.Guid(), dirs, depth, 0); err != nil {
			return nil, err
		}
		return b.g, nil
	}
	id, err := strconv.ParseInt(nodeParam, 10, 64)
	if err != nil || id < 1 {
		return nil, sluice.Errorf(sluice.EINVALID, "The node %q is invalid: use a node id, a positive whole number.", nodeParam)
	}
	env := sluice.EnvDev
	switch strings.ToLower(q.Get("env")) {
	case "", "dev":
	case "prod":
		env = sluice.EnvProd
	default:
		return nil, sluice.Errorf(sluice.EINVALID, "The env %q is invalid: use dev or prod.", q.Get("env"))
	}
	node, err := s.Files.FindNode(ctx, id, env)
	if err != nil {
		return nil, err
	}
	// version asks for the tables another committed version of the task's file reads and writes (what it
	// read and wrote as of that version); the lineage beyond them is the current one, the only kind kept.
	version := node.FileVersion
	if q.Get("version") != "" {
		if version, err = intParam(r, "version", 0, 1, 1<<30); err != nil {
			return nil, err
		}
	}
	l, err := s.Lineage.FindVersionLineage(ctx, sluice.ProjectByID(node.ProjectID), node.FileID, version)
	if err != nil {
		return nil, err
	}
	root := nm.taskNode(node, 0)
	root.Version = version
	root.Root = true
	b.g.Roots = append(b.g.Roots, root.ID)
	b.node(root)
	want := func(d sluice.LineageDirection) bool { return dir == "both" || dir == string(d) }
	sides := []struct {
		guids []string
		d     sluice.LineageDirection
		sign  int
	}{{l.Inputs, sluice.Upstream, -1}, {l.Outputs, sluice.Downstream, 1}}
	for _, side := range sides {
		if !want(side.d) {
			continue
		}
		for _, g := range side.guids {
			if !b.node(tableNode(g, side.sign)) {
				break
			}
			if side.d == sluice.Upstream {
				b.edge(GraphEdge{Source: g, Target: root.ID})
			} else {
				b.edge(GraphEdge{Source: root.ID, Target: g})
			}
			if depth > 1 {
				err := s.addTableGraph(ctx, b, nm, g, []sluice.LineageDirection{side.d}, depth-1, 1)
				// A table the caller may not read beyond the task's own script stays a leaf: the task's
				// version names it, which the caller may read; its lineage is another project's.
				if err != nil && !isRefusal(err) {
					return nil, err
				}
			}
		}
	}
	return b.g, nil
}

func isRefusal(err error) bool {
	c := sluice.ErrorCode(err)
	return c == sluice.EFORBIDDEN || c == sluice.ENOTFOUND
}

// columnGraph answers GET /lineage/columns/graph?column=GUID&direction=&depth=&limit=&asOf=: the core's column
// graph, in both directions when asked, with each column's table and the files making the edges.
func (s *server) columnGraph(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	dirs, dir, depth, limit, err := graphParams(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	column := strings.TrimSpace(q.Get("column"))
	if column == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The query parameter column (a column guid odps.<project>.<table>.<column>) is required.")
	}
	c, err := sluice.ParseColumnGuid(column)
	if err != nil {
		return nil, err
	}
	var asOf time.Time
	if v := q.Get("asOf"); v != "" {
		if asOf, err = native.ParseAsOf(v); err != nil {
			return nil, err
		}
	}
	b := newGraphBuilder(dir, depth, limit)
	b.g.Roots = append(b.g.Roots, c.Guid())
	if !asOf.IsZero() {
		b.g.AsOf = asOf.Format(time.RFC3339Nano)
	}
	nm := &names{s: s, ctx: ctx, projects: map[int64]string{}}
	files := map[int64]bool{}
	for _, d := range dirs {
		g, err := s.Lineage.FindColumnGraph(ctx, sluice.ColumnGraphQuery{Guids: []string{c.Guid()}, Direction: d, Depth: depth, Limit: limit, AsOf: asOf})
		if err != nil {
			return nil, err
		}
		b.g.Truncated = b.g.Truncated || g.Truncated
		b.g.DepthLimited = b.g.DepthLimited || g.DepthLimited
		sign := 1
		if d == sluice.Upstream {
			sign = -1
		}
		for _, n := range g.Nodes {
			b.node(columnNode(n.Guid, sign*n.Depth, n.Guid == c.Guid()))
		}
		for _, e := range g.Edges {
			b.edge(GraphEdge{Source: e.From, Target: e.To, Kind: e.Kind, Files: e.Files})
		}
		for _, f := range g.Files {
			if !files[f.ID] {
				files[f.ID] = true
				b.g.Files = append(b.g.Files, GraphFile{ID: f.ID, Project: nm.project(f.ProjectID), Name: f.Name, Version: f.Version, NodeID: f.NodeID})
			}
		}
	}
	if len(b.g.Nodes) == 0 { // a column with no lineage is still the graph's root
		b.node(columnNode(c.Guid(), 0, true))
	}
	return b.g, nil
}

func columnNode(guid string, depth int, root bool) GraphNode {
	n := GraphNode{ID: guid, Kind: "column", Label: guid, Depth: depth, Root: root}
	if c, err := sluice.ParseColumnGuid(guid); err == nil {
		n.Project, n.Table = c.Table.Project, c.Table.Guid()
		n.Label = c.Table.Name + "." + c.Column
	}
	return n
}
