package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/api/native"
)

// columnGraphString renders a column graph for comparison: nodes as table.column@depth, then edges as
// from>to:kind with the names of their files.
func columnGraphString(g native.ColumnGraph, prefix string) string {
	names := map[int64]string{}
	for _, f := range g.Files {
		names[f.ID] = f.Name
	}
	var b strings.Builder
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "%s@%d ", strings.TrimPrefix(n.Guid, prefix), n.Depth)
	}
	b.WriteString("|")
	for _, e := range g.Edges {
		var files []string
		for _, id := range e.Files {
			files = append(files, names[id])
		}
		fmt.Fprintf(&b, " %s>%s:%s%v", strings.TrimPrefix(e.From, prefix), strings.TrimPrefix(e.To, prefix), e.Kind, files)
	}
	if g.DepthLimited {
		b.WriteString(" depth-limited")
	}
	return b.String()
}

// TestColumnGraph commits a chain of SQL scripts through the DataWorks face (ods -> dwd -> dws -> ads), then
// asks for the multi-hop column graph through the native API and the built binary: both directions, the
// depth flag, a table and a column named alike by the CLI, and lineage as of times before a re-commit and a
// delete.
func TestColumnGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "cg_dw"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "cg_dw"}
	const p = "odps.cg_dw."
	ctx := t.Context()
	dwd := w.sqlFile("load_dwd", "INSERT OVERWRITE TABLE dwd_orders SELECT id, price * qty AS amount FROM ods_orders;")
	w.submit(dwd)
	dws := w.sqlFile("agg_dws", "INSERT OVERWRITE TABLE dws_shop SELECT SUM(amount) AS revenue FROM dwd_orders;")
	w.submit(dws)
	ads := w.sqlFile("report_ads", "INSERT OVERWRITE TABLE ads_report SELECT revenue AS total FROM dws_shop;")
	w.submit(ads)
	// Versions are stamped in milliseconds: the times taken between commits fall strictly between them.
	time.Sleep(3 * time.Millisecond)
	beforeRecommit := time.Now()
	time.Sleep(3 * time.Millisecond)
	w.setContent(dws, "INSERT OVERWRITE TABLE dws_shop SELECT SUM(id) AS revenue FROM dwd_orders;")
	w.submit(dws)
	time.Sleep(3 * time.Millisecond)
	beforeDelete := time.Now()
	time.Sleep(3 * time.Millisecond)
	del := dataworks.CreateDeleteFileRequest()
	del.ProjectId, del.FileId = w.pid(), requests.NewInteger64(ads)
	must(w.dw.DeleteFile(del))(t)

	cl := srv.Client()
	graph := func(q native.ColumnGraphQuery) string {
		t.Helper()
		g, err := cl.ColumnGraph(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		return columnGraphString(g, p)
	}
	for _, tc := range []struct {
		what string
		q    native.ColumnGraphQuery
		want string
	}{
		{"now, up from the report (deleted)", native.ColumnGraphQuery{Columns: []string{p + "ads_report.total"}, Direction: "up", Depth: 5},
			"ads_report.total@0 |"},
		{"now, up from revenue", native.ColumnGraphQuery{Columns: []string{p + "dws_shop.revenue"}, Direction: "up", Depth: 5},
			"dws_shop.revenue@0 dwd_orders.id@1 ods_orders.id@2 | dwd_orders.id>dws_shop.revenue:aggregation[agg_dws] ods_orders.id>dwd_orders.id:direct[load_dwd]"},
		{"now, down from price", native.ColumnGraphQuery{Columns: []string{p + "ods_orders.price"}, Direction: "down", Depth: 5},
			"ods_orders.price@0 dwd_orders.amount@1 | ods_orders.price>dwd_orders.amount:expression[load_dwd]"},
		{"before the re-commit, up from the report", native.ColumnGraphQuery{Columns: []string{p + "ads_report.total"}, Direction: "up", Depth: 5,
			AsOf: beforeRecommit},
			"ads_report.total@0 dws_shop.revenue@1 dwd_orders.amount@2 ods_orders.price@3 ods_orders.qty@3 | dws_shop.revenue>ads_report.total:direct[report_ads]" +
				" dwd_orders.amount>dws_shop.revenue:aggregation[agg_dws] ods_orders.price>dwd_orders.amount:expression[load_dwd]" +
				" ods_orders.qty>dwd_orders.amount:expression[load_dwd]"},
		{"before the re-commit, two hops", native.ColumnGraphQuery{Columns: []string{p + "ads_report.total"}, Direction: "up", Depth: 2,
			AsOf: beforeRecommit},
			"ads_report.total@0 dws_shop.revenue@1 dwd_orders.amount@2 | dws_shop.revenue>ads_report.total:direct[report_ads]" +
				" dwd_orders.amount>dws_shop.revenue:aggregation[agg_dws] depth-limited"},
		{"before the delete, down from id", native.ColumnGraphQuery{Columns: []string{p + "ods_orders.id"}, Direction: "down", Depth: 5, AsOf: beforeDelete},
			"ods_orders.id@0 dwd_orders.id@1 dws_shop.revenue@2 ads_report.total@3 | ods_orders.id>dwd_orders.id:direct[load_dwd]" +
				" dwd_orders.id>dws_shop.revenue:aggregation[agg_dws] dws_shop.revenue>ads_report.total:direct[report_ads]"},
		{"now, down from id", native.ColumnGraphQuery{Columns: []string{p + "ods_orders.id"}, Direction: "down", Depth: 5},
			"ods_orders.id@0 dwd_orders.id@1 dws_shop.revenue@2 | ods_orders.id>dwd_orders.id:direct[load_dwd]" +
				" dwd_orders.id>dws_shop.revenue:aggregation[agg_dws]"},
	} {
		if got := graph(tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.what, got, tc.want)
		}
	}
	// The files: the version counted, the node gone for the deleted file.
	g, err := cl.ColumnGraph(ctx, native.ColumnGraphQuery{Columns: []string{p + "ads_report.total"}, Direction: "up", Depth: 5, AsOf: beforeDelete})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range g.Files {
		files = append(files, fmt.Sprintf("%s:v%d:%v", f.Name, f.Version, f.NodeID != 0))
	}
	if want := []string{"load_dwd:v1:true", "agg_dws:v2:true", "report_ads:v1:false"}; !slices.Equal(files, want) || g.AsOf == "" {
		t.Errorf("files as of before the delete = %v (asOf %q), want %v", files, g.AsOf, want)
	}
	// Refusals: no column, a bad time, a bad depth, a column of a table no project catalogues.
	for _, q := range []native.ColumnGraphQuery{
		{Direction: "up"},
		{Columns: []string{p + "dws_shop.revenue"}, Direction: "sideways"},
		{Columns: []string{p + "dws_shop.revenue"}, Direction: "up", Depth: 21},
		{Columns: []string{p + "dws_shop"}, Direction: "up"},
		{Columns: []string{p + "nosuch.c"}, Direction: "up"},
	} {
		if _, err := cl.ColumnGraph(ctx, q); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}

	// The binary: a column named like a schema table is found as a column; a table is still a table.
	c := cli{t: t, bin: buildSluice(t), addr: srv.Endpoint}.as(srv.AccessKeyID, srv.AccessKeySecret)
	out := c.run(false, "lineage", "graph", "dws_shop.revenue", "-p", "cg_dw", "--up", "--depth", "1")
	for _, want := range []string{"column odps.cg_dw.dws_shop.revenue, upstream:", "node  1      column       odps.cg_dw.dwd_orders.id",
		"via agg_dws (" + strconv.FormatInt(dws, 10) + ")", "depth limited: lineage goes on beyond 1 hops"} {
		if !strings.Contains(out, want) {
			t.Errorf("column graph output lacks %q:\n%s", want, out)
		}
	}
	out = c.run(false, "lineage", "graph", "cg_dw.dwd_orders", "--down")
	if !strings.Contains(out, "odps.cg_dw.dwd_orders, downstream:") || !strings.Contains(out, "odps.cg_dw.dws_shop") {
		t.Errorf("table graph output:\n%s", out)
	}
	var jg native.ColumnGraph
	out = c.run(false, "lineage", "graph", p+"ads_report.total", "--up", "--depth", "5", "--as-of", strconv.FormatInt(beforeRecommit.UnixMilli(), 10), "-o", "json")
	if err := json.Unmarshal([]byte(out), &jg); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if got := columnGraphString(jg, p); !strings.HasPrefix(got, "ads_report.total@0 dws_shop.revenue@1 dwd_orders.amount@2 ods_orders.price@3") ||
		jg.AsOf != beforeRecommit.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano) {
		t.Errorf("as-of graph through the CLI = %s (asOf %s)", got, jg.AsOf)
	}
	out = c.run(false, "lineage", "graph", p+"ads_report.total", "--up", "--column", "--as-of", beforeRecommit.Format(time.RFC3339Nano))
	if !strings.Contains(out, ", as of ") || !strings.Contains(out, "odps.cg_dw.dws_shop.revenue") {
		t.Errorf("as-of table output:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cg_dw.dwd_orders", "--column"}, "is not a column"},
		{[]string{"cg_dw.dwd_orders", "--as-of", "2026-12-01T08:00:00Z"}, "--as-of is for column lineage"},
		{[]string{"cg_dw.dws_shop.revenue", "--as-of", "yesterday"}, "--as-of"},
		{[]string{"cg_dw.nosuch.c"}, "neither a catalogued table nor a column of one"},
	} {
		if errOut := c.run(true, append([]string{"lineage", "graph"}, tc.args...)...); !strings.Contains(errOut, tc.want) {
			t.Errorf("sluice lineage graph %v: stderr lacks %q:\n%s", tc.args, tc.want, errOut)
		}
	}
}
