package console_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sluice-dev/sluice"
)

// lineageEnv is a server with a chain of three committed scripts in lin_a (t_in → t_mid → t_out → t_final,
// each table made by DDL, one comment in Chinese, one column labelled) and, in lin_secret, which alice does
// not read, bob's script reading t_final.
type lineageEnv struct {
	*env
	files map[string]*sluice.File // by file name
}

func newLineageEnv(t *testing.T) *lineageEnv {
	e := &lineageEnv{env: newEnv(t), files: map[string]*sluice.File{}}
	e.user("alice", map[string]sluice.Role{"lin_a": sluice.RoleDeveloper})
	e.user("bob", map[string]sluice.Role{"lin_secret": sluice.RoleDeveloper, "lin_a": sluice.RoleViewer})
	ctx := context.Background()
	if _, err := e.root.RunSQL(ctx, "lin_a", `
CREATE TABLE t_in (a BIGINT COMMENT '订单编号', b STRING COMMENT '客户手机') COMMENT '原始订单';
CREATE TABLE t_mid (a BIGINT COMMENT '订单编号', b STRING COMMENT '客户手机') COMMENT '清洗后的订单';
CREATE TABLE t_out (a BIGINT, b STRING) PARTITIONED BY (ds STRING);
CREATE TABLE t_final (a BIGINT, b STRING);
SET LABEL 2 TO TABLE t_in (b);`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.root.RunSQL(ctx, "lin_secret", "CREATE TABLE s_out (a BIGINT, b STRING);"); err != nil {
		t.Fatal(err)
	}
	e.commit("alice", "lin_a", "mk_mid", "INSERT OVERWRITE TABLE t_mid SELECT a, b FROM t_in;")
	e.commit("alice", "lin_a", "mk_out", "INSERT OVERWRITE TABLE t_out PARTITION (ds = '${bizdate}') SELECT a, b FROM t_mid;")
	e.commit("alice", "lin_a", "mk_final", "INSERT OVERWRITE TABLE t_final SELECT a, b FROM t_out;")
	e.commit("bob", "lin_secret", "mk_secret", "INSERT OVERWRITE TABLE s_out SELECT a, b FROM lin_a.t_final;")
	return e
}

// userContext is user as the caller, for calls straight to the core.
func (e *lineageEnv) userContext(user string) context.Context {
	e.t.Helper()
	u, err := e.srv.Server.Core.FindUser(e.rootContext(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

// commit creates a SQL file and commits it as user, which records its lineage.
func (e *lineageEnv) commit(user, project, name, script string) {
	e.t.Helper()
	ctx, core, ref := e.userContext(user), e.srv.Server.Core, sluice.ProjectByName(project)
	f, err := core.CreateFile(ctx, ref, sluice.File{Name: name, Type: 10, Content: script, AutoParsing: true}, false)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := core.SubmitFile(ctx, ref, f.ID, "first"); err != nil {
		e.t.Fatal(err)
	}
	if f, err = core.FindFile(ctx, ref, f.ID); err != nil {
		e.t.Fatal(err)
	}
	e.files[name] = f
}

// node is the graph id of the task of a file.
func (e *lineageEnv) node(name string) string { return strconv.FormatInt(e.files[name].NodeID, 10) }

type graphOut struct {
	Roots []string `json:"roots"`
	Nodes []struct {
		ID, Kind, Label, Project, Table string
		Depth                           int
		Root                            bool
		FileID                          int64 `json:"fileId"`
		Version                         int
	} `json:"nodes"`
	Edges []struct {
		Source, Target, Kind string
		Files                []int64
	} `json:"edges"`
	Files []struct {
		ID      int64
		Project string
		Name    string
	} `json:"files"`
	Truncated    bool `json:"truncated"`
	DepthLimited bool `json:"depthLimited"`
}

func (g graphOut) nodeIDs() []string {
	var out []string
	for _, n := range g.Nodes {
		out = append(out, n.ID)
	}
	slices.Sort(out)
	return out
}

func (g graphOut) edgeList() []string {
	var out []string
	for _, e := range g.Edges {
		out = append(out, e.Source+">"+e.Target)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func TestLineageGraphAPI(t *testing.T) {
	e := newLineageEnv(t)
	alice := e.signIn("alice")
	const p = "odps.lin_a."
	get := func(path string) graphOut {
		t.Helper()
		var g graphOut
		if s := alice.do("GET", "/console/api/lineage/graph?"+path, nil, &g); s != 200 {
			t.Fatalf("GET %s: %d", path, s)
		}
		return g
	}
	mid, out, fin := e.node("mk_mid"), e.node("mk_out"), e.node("mk_final")

	// Both directions around t_mid: the whole chain, and nothing of lin_secret (bob's task reads t_final).
	g := get("table=" + p + "t_mid&direction=both&depth=5")
	if want := sorted(p+"t_in", mid, p+"t_mid", out, p+"t_out", fin, p+"t_final"); !slices.Equal(g.nodeIDs(), want) {
		t.Errorf("nodes = %v, want %v", g.nodeIDs(), want)
	}
	wantEdges := sorted(p+"t_in>"+mid, mid+">"+p+"t_mid", p+"t_mid>"+out, out+">"+p+"t_out", p+"t_out>"+fin, fin+">"+p+"t_final")
	if !slices.Equal(g.edgeList(), wantEdges) {
		t.Errorf("edges = %v, want %v", g.edgeList(), wantEdges)
	}
	if g.Truncated {
		t.Error("a graph within the limit is truncated")
	}
	for _, n := range g.Nodes {
		switch n.ID {
		case p + "t_in":
			if n.Depth >= 0 || n.Kind != "table" || n.Label != "t_in" || n.Project != "lin_a" {
				t.Errorf("t_in = %+v, want an upstream table", n)
			}
		case p + "t_mid":
			if !n.Root || n.Depth != 0 {
				t.Errorf("t_mid = %+v, want the root", n)
			}
		case out:
			if n.Kind != "task" || n.Label != "mk_out" || n.FileID != e.files["mk_out"].ID || n.Version != 1 || n.Project != "lin_a" {
				t.Errorf("mk_out's task = %+v, want its file and version", n)
			}
		}
	}

	// Depth: one hop down stops at t_out and says lineage goes on.
	g = get("table=" + p + "t_mid&direction=down&depth=1")
	if want := sorted(p+"t_mid", out, p+"t_out"); !slices.Equal(g.nodeIDs(), want) || !g.DepthLimited {
		t.Errorf("depth 1: nodes %v depthLimited %v, want %v and true", g.nodeIDs(), g.DepthLimited, want)
	}
	// Limit: three nodes of a longer graph, marked truncated, with no edge to a node left out.
	g = get("table=" + p + "t_in&direction=down&depth=5&limit=3")
	if len(g.Nodes) != 3 || !g.Truncated {
		t.Errorf("limit 3: %d nodes, truncated %v", len(g.Nodes), g.Truncated)
	}
	ids := g.nodeIDs()
	for _, ed := range g.Edges {
		if !slices.Contains(ids, ed.Source) || !slices.Contains(ids, ed.Target) {
			t.Errorf("limit 3: edge %s > %s to a node not in the graph", ed.Source, ed.Target)
		}
	}

	// A task as the root: what its version reads and writes, and beyond.
	g = get("node=" + out + "&direction=both&depth=1")
	if want := sorted(p+"t_mid", out, p+"t_out"); !slices.Equal(g.nodeIDs(), want) {
		t.Errorf("node root depth 1: %v, want %v", g.nodeIDs(), want)
	}
	g = get("node=" + out + "&direction=up&depth=2")
	if want := sorted(p+"t_in", mid, p+"t_mid", out); !slices.Equal(g.nodeIDs(), want) {
		t.Errorf("node root up depth 2: %v, want %v", g.nodeIDs(), want)
	}
	if want := sorted(p+"t_in>"+mid, mid+">"+p+"t_mid", p+"t_mid>"+out); !slices.Equal(g.edgeList(), want) {
		t.Errorf("node root up depth 2 edges: %v, want %v", g.edgeList(), want)
	}

	// A task as of an earlier version of its file: mk_out's version 2 reads t_in; version 1 read t_mid.
	before := time.Now().UTC()
	time.Sleep(1100 * time.Millisecond) // commit times may be kept to the second
	ctx, ref, script := e.userContext("alice"), sluice.ProjectByName("lin_a"), "INSERT OVERWRITE TABLE t_out PARTITION (ds = '${bizdate}') SELECT a, b FROM t_in;"
	if _, err := e.srv.Server.Core.UpdateFile(ctx, ref, e.files["mk_out"].ID, sluice.FileUpdate{Content: &script}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Server.Core.SubmitFile(ctx, ref, e.files["mk_out"].ID, "second"); err != nil {
		t.Fatal(err)
	}
	g = get("node=" + out + "&direction=up&depth=1")
	if want := sorted(p+"t_in", out); !slices.Equal(g.nodeIDs(), want) {
		t.Errorf("node root now: %v, want %v", g.nodeIDs(), want)
	}
	g = get("node=" + out + "&direction=up&depth=1&version=1")
	if want := sorted(p+"t_mid", out); !slices.Equal(g.nodeIDs(), want) || g.Nodes[0].Version != 1 {
		t.Errorf("node root as of version 1: %v (%+v), want %v", g.nodeIDs(), g.Nodes[0], want)
	}

	// Column graph: t_mid.a from t_in.a, and, as it stood before mk_out's second version, on to t_final.a.
	var cg graphOut
	if s := alice.do("GET", "/console/api/lineage/columns/graph?column="+p+"t_mid.a&direction=both&depth=5", nil, &cg); s != 200 {
		t.Fatalf("column graph: %d", s)
	}
	if want := sorted(p+"t_in.a", p+"t_mid.a"); !slices.Equal(cg.nodeIDs(), want) {
		t.Errorf("column graph now = %v, want %v", cg.nodeIDs(), want)
	}
	cg = graphOut{}
	if s := alice.do("GET", "/console/api/lineage/columns/graph?column="+p+"t_mid.a&direction=both&depth=5&asOf="+before.Format(time.RFC3339Nano), nil, &cg); s != 200 {
		t.Fatalf("column graph: %d", s)
	}
	if want := sorted(p+"t_in.a", p+"t_mid.a", p+"t_out.a", p+"t_final.a"); !slices.Equal(cg.nodeIDs(), want) {
		t.Errorf("column graph nodes = %v, want %v", cg.nodeIDs(), want)
	}
	if want := sorted(p+"t_in.a>"+p+"t_mid.a", p+"t_mid.a>"+p+"t_out.a", p+"t_out.a>"+p+"t_final.a"); !slices.Equal(cg.edgeList(), want) {
		t.Errorf("column graph edges = %v, want %v", cg.edgeList(), want)
	}
	if len(cg.Files) != 3 || cg.Nodes[0].Table == "" {
		t.Errorf("column graph files %+v, nodes %+v: want the three files and each column's table", cg.Files, cg.Nodes)
	}

	// Bad parameters answer 400 InvalidParameter.
	for _, q := range []string{
		"", "table=" + p + "t_mid&node=1", "table=nope", "table=" + p + "t_mid&direction=sideways", "table=" + p + "t_mid&depth=0",
		"table=" + p + "t_mid&depth=21", "table=" + p + "t_mid&limit=0", "table=" + p + "t_mid&limit=10001", "node=abc",
		"node=" + out + "&env=test", "table=" + p + "t_mid&asOf=2026-01-01T00:00:00Z",
	} {
		var er struct{ Code, Message string }
		if s := alice.do("GET", "/console/api/lineage/graph?"+q, nil, &er); s != 400 || er.Code != "InvalidParameter" || er.Message == "" {
			t.Errorf("graph?%s: %d %+v, want 400 InvalidParameter", q, s, er)
		}
	}
	for _, q := range []string{"table=" + p + "t_mid&version=1", "node=" + out + "&version=0", "node=" + out + "&version=x"} {
		if s := alice.do("GET", "/console/api/lineage/graph?"+q, nil, nil); s != 400 {
			t.Errorf("graph?%s: %d, want 400", q, s)
		}
	}
	for _, q := range []string{"", "column=odps.lin_a", "column=" + p + "t_mid.a&asOf=yesterday", "column=" + p + "t_mid.a&direction=x"} {
		if s := alice.do("GET", "/console/api/lineage/columns/graph?"+q, nil, nil); s != 400 {
			t.Errorf("columns/graph?%s: %d, want 400", q, s)
		}
	}
}

func TestLineageAccess(t *testing.T) {
	e := newLineageEnv(t)
	alice, bob := e.signIn("alice"), e.signIn("bob")
	const p = "odps.lin_a."

	// Bob reads both projects and sees his task downstream of t_final; alice sees none of lin_secret.
	var g graphOut
	if s := bob.do("GET", "/console/api/lineage/graph?table="+p+"t_final&direction=down", nil, &g); s != 200 || !slices.Contains(g.nodeIDs(), "odps.lin_secret.s_out") {
		t.Errorf("bob: %d %v, want s_out downstream", s, g.nodeIDs())
	}
	g = graphOut{}
	if s := alice.do("GET", "/console/api/lineage/graph?table="+p+"t_final&direction=down", nil, &g); s != 200 || !slices.Equal(g.nodeIDs(), []string{p + "t_final"}) {
		t.Errorf("alice: %d %v, want t_final alone", s, g.nodeIDs())
	}
	// Alice is refused lin_secret's tables, its table page, its lineage and its task; the refusal names nothing.
	for _, path := range []string{
		"/console/api/projects/lin_secret/tables", "/console/api/projects/lin_secret/tables/s_out",
		"/console/api/projects/lin_secret/tables/s_out/columns/a/lineage",
		"/console/api/lineage/graph?table=odps.lin_secret.s_out", "/console/api/lineage/graph?node=" + e.node("mk_secret"),
		"/console/api/lineage/columns/graph?column=odps.lin_secret.s_out.a",
	} {
		var er struct{ Code, Message string }
		s := alice.do("GET", path, nil, &er)
		if s != 403 && s != 404 {
			t.Errorf("alice GET %s: %d, want 403 or 404", path, s)
		}
		if strings.Contains(er.Message, "mk_secret") || strings.Contains(er.Message, "lin_a.t_final") {
			t.Errorf("alice GET %s: the refusal %q names what she may not see", path, er.Message)
		}
	}
}

type tableOut struct {
	Guid, Name, Comment string
	Lineage             bool
	Columns             []struct {
		Name, Type, Comment string
		Label               int
		EffectiveLabel      int    `json:"effectiveLabel"`
		LabelSource         string `json:"labelSource"`
		Relations           int64
	}
	PartitionColumns []struct{ Name string } `json:"partitionColumns"`
	ProducingTasks   []struct {
		NodeID  int64 `json:"nodeId"`
		Name    string
		FileID  int64 `json:"fileId"`
		Project string
	} `json:"producingTasks"`
}

func TestTablesAPI(t *testing.T) {
	e := newLineageEnv(t)
	alice := e.signIn("alice")

	// The list pages by marker.
	var page struct {
		Items []struct {
			Guid, Name, Comment string
			Columns             int
		}
		NextMarker string `json:"nextMarker"`
	}
	var names []string
	marker := ""
	for range 5 {
		page.Items, page.NextMarker = nil, ""
		if s := alice.do("GET", "/console/api/projects/lin_a/tables?prefix=t_&limit=3&marker="+url.QueryEscape(marker), nil, &page); s != 200 {
			t.Fatalf("tables: %d", s)
		}
		for _, it := range page.Items {
			names = append(names, it.Name)
		}
		if marker = page.NextMarker; marker == "" {
			break
		}
	}
	if want := []string{"t_final", "t_in", "t_mid", "t_out"}; !slices.Equal(names, want) {
		t.Errorf("tables = %v, want %v", names, want)
	}
	if s := alice.do("GET", "/console/api/projects/lin_a/tables?limit=1001", nil, nil); s != 400 {
		t.Errorf("limit 1001: %d, want 400", s)
	}

	// The table page: columns with labels, the tasks producing it as the core finds them, relation counts.
	var tb tableOut
	if s := alice.do("GET", "/console/api/projects/lin_a/tables/t_out", nil, &tb); s != 200 {
		t.Fatalf("table: %d", s)
	}
	nodes, err := e.srv.Server.Core.FindProducingNodes(e.userContext("alice"), sluice.TableRef{Project: "lin_a", Name: "t_out"})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, pt := range tb.ProducingTasks {
		got = append(got, fmt.Sprintf("%d %s %d %s", pt.NodeID, pt.Name, pt.FileID, pt.Project))
	}
	for _, n := range nodes {
		want = append(want, fmt.Sprintf("%d %s %d %s", n.ID, n.Name, n.FileID, "lin_a"))
	}
	if len(want) != 1 || !slices.Equal(got, want) {
		t.Errorf("producing tasks = %v, want %v (the core's)", got, want)
	}
	if tb.Guid != "odps.lin_a.t_out" || !tb.Lineage || len(tb.Columns) != 2 || len(tb.PartitionColumns) != 1 {
		t.Fatalf("table = %+v", tb)
	}
	if c := tb.Columns[0]; c.Name != "a" || c.Relations != 2 {
		t.Errorf("column a = %+v, want 2 relations (t_mid.a up, t_final.a down)", c)
	}
	if c := tb.Columns[1]; c.Name != "b" || c.Label != 0 || c.EffectiveLabel != 2 || c.LabelSource != "odps.lin_a.t_in.b" {
		t.Errorf("column b = %+v, want effective label 2 from t_in.b", c)
	}
	tb = tableOut{}
	if s := alice.do("GET", "/console/api/projects/lin_a/tables/t_in", nil, &tb); s != 200 || tb.Comment != "原始订单" || tb.Columns[0].Comment != "订单编号" ||
		tb.Columns[1].Label != 2 || tb.Columns[1].EffectiveLabel != 2 || len(tb.ProducingTasks) != 0 {
		t.Errorf("t_in: %d %+v", s, tb)
	}
	if s := alice.do("GET", "/console/api/projects/lin_a/tables/nope", nil, nil); s != 404 {
		t.Errorf("unknown table: %d, want 404", s)
	}
	if s := alice.do("GET", "/console/api/projects/lin_a/tables/a.b.c", nil, nil); s != 400 {
		t.Errorf("bad table name: %d, want 400", s)
	}

	// A column's lineage, both directions.
	var cl struct {
		Column   string
		Up, Down struct {
			Items      []struct{ Guid, Kind string }
			TotalCount int `json:"totalCount"`
		}
	}
	if s := alice.do("GET", "/console/api/projects/lin_a/tables/t_out/columns/a/lineage", nil, &cl); s != 200 {
		t.Fatalf("column lineage: %d", s)
	}
	if cl.Column != "odps.lin_a.t_out.a" || cl.Up.TotalCount != 1 || cl.Up.Items[0].Guid != "odps.lin_a.t_mid.a" || cl.Down.TotalCount != 1 ||
		cl.Down.Items[0].Guid != "odps.lin_a.t_final.a" {
		t.Errorf("column lineage = %+v", cl)
	}
	for _, q := range []string{"?direction=x", "?limit=101", "?offset=3&limit=2"} {
		if s := alice.do("GET", "/console/api/projects/lin_a/tables/t_out/columns/a/lineage"+q, nil, nil); s != 400 {
			t.Errorf("column lineage%s: %d, want 400", q, s)
		}
	}
}

// drawn returns the graph's nodes and edges as the page draws them: cytoscape's, and the accessible lists'.
func drawn(e *lineageEnv, ctx context.Context) (cyNodes, listNodes, cyEdges, listEdges []string) {
	e.t.Helper()
	get := func(expr string) []string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		if err != nil {
			e.t.Fatalf("browser: %s: %v", expr, err)
		}
		slices.Sort(v)
		return v
	}
	return get(`window.sluiceGraph.nodes().map((n) => n.id())`),
		get(`[...document.querySelectorAll('#lineage-nodes tbody tr')].map((tr) => tr.dataset.id)`),
		get(`window.sluiceGraph.edges().map((e) => e.source().id() + '>' + e.target().id())`),
		get(`[...document.querySelectorAll('#lineage-edges tbody tr')].map((tr) => tr.dataset.source + '>' + tr.dataset.target)`)
}

func TestBrowserLineage(t *testing.T) {
	e := newLineageEnv(t)
	ctx := e.browser("alice")
	const p = "odps.lin_a."
	mid, out, fin := e.node("mk_mid"), e.node("mk_out"), e.node("mk_final")
	check := func(what string, nodes, edges []string) {
		t.Helper()
		cn, ln, ce, le := drawn(e, ctx)
		if !slices.Equal(cn, nodes) || !slices.Equal(ln, nodes) {
			t.Errorf("%s: nodes drawn %v, listed %v, want %v", what, cn, ln, nodes)
		}
		if !slices.Equal(ce, edges) || !slices.Equal(le, edges) {
			t.Errorf("%s: edges drawn %v, listed %v, want %v", what, ce, le, edges)
		}
	}
	nodeCount := func(n int) chromedp.Action[chromedp.Void] {
		return waitJS(fmt.Sprintf(`!!window.sluiceGraph && !window.sluiceGraph.destroyed() && window.sluiceGraph.nodes().length === %d`, n))
	}

	// One hop each way around t_mid.
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/lineage?table="+p+"t_mid&depth=1"), nodeCount(5))
	check("depth 1", sorted(p+"t_in", mid, p+"t_mid", out, p+"t_out"),
		sorted(p+"t_in>"+mid, mid+">"+p+"t_mid", p+"t_mid>"+out, out+">"+p+"t_out"))
	if s := e.text(ctx, "#lineage-depth-note"); !strings.Contains(s, "beyond this depth") {
		t.Errorf("depth note %q", s)
	}

	// Keyboard: from the start node right along the edges to t_out, Enter expands it.
	e.do(ctx, chromedp.Focus(chromedp.ID("lineage-canvas")),
		chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight),
		waitJS(`window.sluiceGraph.$('node:selected').id() === `+strconv.Quote(p+"t_out")),
		chromedp.KeyEvent(kb.Enter), nodeCount(7))
	full := sorted(p+"t_in", mid, p+"t_mid", out, p+"t_out", fin, p+"t_final")
	fullEdges := sorted(p+"t_in>"+mid, mid+">"+p+"t_mid", p+"t_mid>"+out, out+">"+p+"t_out", p+"t_out>"+fin, fin+">"+p+"t_final")
	check("t_out expanded", full, fullEdges)

	// A double-click on a node in the canvas expands it too (t_in: nothing more upstream, it is marked expanded).
	e.do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('lineage-canvas').scrollIntoView(); window.sluiceGraph.resize(); undefined`), chromedp.Sleep(200*time.Millisecond))
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const n = window.sluiceGraph.getElementById(`+strconv.Quote(p+"t_in")+`);
		const r = document.getElementById('lineage-canvas').getBoundingClientRect(); const q = n.renderedPosition();
		return [r.left + q.x, r.top + q.y]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	e.do(ctx, chromedp.MouseClickXY(xy[0], xy[1]), chromedp.MouseClickXY(xy[0], xy[1]),
		waitText(`#lineage-nodes tr[data-id="`+p+`t_in"]`, "expanded"))
	e.do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.Sleep(200*time.Millisecond))
	e.screenshot(ctx, "lineage-graph")

	// The depth control reloads the graph with the new depth.
	e.do(ctx, chromedp.SetValue(chromedp.ID("lineage-depth"), "3"), chromedp.SetValue(chromedp.ID("lineage-direction"), "down"),
		chromedp.Click(chromedp.ID("lineage-apply")),
		waitJS(`location.search.includes('depth=3') && location.search.includes('direction=down')`), nodeCount(5))
	check("down depth 3", sorted(p+"t_mid", out, p+"t_out", fin, p+"t_final"),
		sorted(p+"t_mid>"+out, out+">"+p+"t_out", p+"t_out>"+fin, fin+">"+p+"t_final"))

	// A limit that cuts the graph shows the banner.
	e.do(ctx, chromedp.SetValue(chromedp.ID("lineage-limit"), "2"), chromedp.Click(chromedp.ID("lineage-apply")), nodeCount(2),
		waitText("#lineage-truncated", "node limit"))

	// A click on a table in the canvas opens its table page, with the task producing it and the column labels.
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/lineage?table="+p+"t_out&depth=1&direction=up"), nodeCount(3),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('lineage-canvas').scrollIntoView(); window.sluiceGraph.resize(); undefined`), chromedp.Sleep(200*time.Millisecond))
	xy, err = chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const n = window.sluiceGraph.getElementById(`+strconv.Quote(p+"t_mid")+`);
		const r = document.getElementById('lineage-canvas').getBoundingClientRect(); const q = n.renderedPosition();
		return [r.left + q.x, r.top + q.y]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	e.do(ctx, chromedp.MouseClickXY(xy[0], xy[1]), waitText("#producing-tasks", "mk_mid"), waitText("#table-columns", "t_in.b"))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/console/projects/lin_a/tables/t_mid") {
		t.Errorf("a click on t_mid went to %s", loc)
	}
	// The task links to its file and version; the column to its column graph.
	href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#producing-tasks a').getAttribute('href')`))
	if want := fmt.Sprintf("/console/projects/lin_a/files/%d?version=1", e.files["mk_mid"].ID); href != want {
		t.Errorf("task link %q, want %q", href, want)
	}
	e.do(ctx, chromedp.Click(chromedp.CSS(`#table-columns tr[data-column="a"] a`)), nodeCount(4),
		waitJS(`location.search.includes('column=')`))
	check("column graph", sorted(p+"t_in.a", p+"t_mid.a", p+"t_out.a", p+"t_final.a"),
		sorted(p+"t_in.a>"+p+"t_mid.a", p+"t_mid.a>"+p+"t_out.a", p+"t_out.a>"+p+"t_final.a"))
	e.screenshot(ctx, "lineage-columns")

	// The table page of the source table: the comment in Chinese and the declared label.
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/tables/t_in"), waitText("main", "原始订单"), waitText("#table-columns", "客户手机"))
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/tables/t_mid"), waitText("#producing-tasks", "mk_mid"))
	// A column's neighbours listed under its row.
	e.do(ctx, chromedp.Click(chromedp.CSS(`button[data-neighbours="b"]`)), waitText(`tr[data-neighbours-of="b"]`, "t_in.b"),
		waitText(`tr[data-neighbours-of="b"]`, "t_out.b"))
	e.screenshot(ctx, "table")
	// The task's graph starts from what its version reads and writes.
	e.do(ctx, chromedp.Click(chromedp.CSS(`#producing-tasks a[href*="/lineage"]`)), nodeCount(5), waitText("h1", "mk_mid v1"),
		chromedp.SetValue(chromedp.ID("lineage-version"), "1"), chromedp.Click(chromedp.ID("lineage-apply")),
		waitJS(`location.search.includes('version=1')`), nodeCount(5))
	check("task mk_mid", sorted(p+"t_in", mid, p+"t_mid", out, p+"t_out"),
		sorted(p+"t_in>"+mid, mid+">"+p+"t_mid", p+"t_mid>"+out, out+">"+p+"t_out"))
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/tables"), waitText("#tables-list", "t_final"))
	e.screenshot(ctx, "tables")

	// Without a start, the page asks for a table: typed, or picked from the project's tables.
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/lineage"), waitText(".lineage-pick", "t_final"),
		chromedp.SetValue(chromedp.ID("lineage-root"), p+"t_out"), chromedp.Submit(chromedp.ID("lineage-root")),
		waitJS(`location.search.includes('table=odps.lin_a.t_out')`), nodeCount(7))

	// At 400 px nothing is wider than the window.
	for _, path := range []string{"/tables/t_mid", "/lineage?table=" + p + "t_mid", "/tables"} {
		e.do(ctx, chromedp.EmulateViewport(400, 800), chromedp.Navigate(e.srv.URL+"/console/projects/lin_a"+path), waitJS(`!!document.querySelector('main table')`))
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 400 {
			t.Errorf("%s at 400 px: the page is %d px wide", path, w)
		}
	}
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/lin_a/lineage?table="+p+"t_mid"), nodeCount(7))
	e.screenshot(ctx, "lineage-graph-narrow")
}
