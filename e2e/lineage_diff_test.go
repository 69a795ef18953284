package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// lineageWorkspace starts a server with a project, and the built binary as its client.
func lineageWorkspace(t *testing.T, name string) (*workspace, *sluicetest.Server, cli) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	req := dataworks.CreateCreateProjectRequest()
	req.ProjectIdentifier = name
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(req))(t).Data, name: name}
	c := cli{t: t, bin: buildSluice(t), addr: srv.Endpoint}.as(srv.AccessKeyID, srv.AccessKeySecret)
	return w, srv, c
}

// sqlFileIn creates an ODPS SQL file with AutoParsing on in a folder.
func (w *workspace) sqlFileIn(folder, name, content string) int64 {
	w.t.Helper()
	req := dataworks.CreateCreateFileRequest()
	req.ProjectId, req.FileFolderPath, req.FileName, req.FileType, req.Content = w.pid(), folder, name, requests.NewInteger(10), content
	req.CreateFolderIfNotExists, req.AutoParsing = requests.NewBoolean(true), requests.NewBoolean(true)
	return must(w.dw.CreateFile(req))(w.t).Data
}

// TestCLI_LineageDiff: `sluice lineage diff` through the built binary: the draft, a local script and two
// committed versions compared, the column names taken from the catalogue's DDL as a commit takes them, the
// downstream task found, --fail-on-impact, and the refusals.
func TestCLI_LineageDiff(t *testing.T) {
	w, srv, c := lineageWorkspace(t, "diff_dw")
	p := w.name
	catalogSQL(t, srv, p, "CREATE TABLE ods (a BIGINT, b BIGINT); CREATE TABLE dws (a BIGINT, total BIGINT);")
	w.createBusiness("sales")
	v1 := "INSERT OVERWRITE TABLE dws SELECT a, b FROM ods;"
	dws := w.sqlFileIn("业务流程/sales/MaxCompute/dws", "dws", v1)
	w.submit(dws)
	ads := w.sqlFile("ads_total", "INSERT OVERWRITE TABLE ads SELECT total FROM dws;")
	w.submit(ads)
	w.setContent(dws, "INSERT OVERWRITE TABLE dws SELECT a, b * 2 FROM ods;")

	const total, b = "odps.diff_dw.dws.total", "odps.diff_dw.ods.b"
	diff := func(args ...string) native.LineageDiff {
		t.Helper()
		var d native.LineageDiff
		out := c.run(false, append([]string{"lineage", "diff", "-p", p, "-o", "json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatalf("diff %v: %v\n%s", args, err, out)
		}
		return d
	}
	wantColumns := []native.ColumnEdgeChange{{Change: "-", Target: total, Source: b, Kind: "direct"},
		{Change: "+", Target: total, Source: b, Kind: "expression"}}
	d := diff("dws")
	if d.FileID != dws || d.From != 1 || d.To != 0 || d.Script || len(d.Tables) != 0 || !equalJSON(d.Columns, wantColumns) {
		t.Fatalf("draft diff = %+v", d)
	}
	if len(d.Downstream) != 1 || d.Downstream[0].Guid != total || d.Downstream[0].TaskName != "ads_total" ||
		d.Downstream[0].FileID != ads || d.Downstream[0].TaskID != w.nodeOf(ads) || d.Downstream[0].Project != p {
		t.Fatalf("downstream = %+v", d.Downstream)
	}

	// The table, by path; --fail-on-impact turns the impact into exit status 1.
	out := c.run(false, "lineage", "diff", "-p", p, "业务流程/sales/MaxCompute/dws/dws")
	for _, want := range []string{"file " + strconv.FormatInt(dws, 10) + ": version 1 -> the draft", "CHANGE  KIND",
		"-       column  " + total + " <- " + b + " (direct)", "+       column  " + total + " <- " + b + " (expression)",
		"downstream:", "ads_total", strconv.FormatInt(w.nodeOf(ads), 10)} {
		if !strings.Contains(out, want) {
			t.Fatalf("table output lacks %q:\n%s", want, out)
		}
	}
	if stderr := c.run(true, "lineage", "diff", "-p", p, "dws", "--fail-on-impact"); !strings.Contains(stderr, "reaches 1 downstream") {
		t.Fatalf("--fail-on-impact: %s", stderr)
	}

	// A local script equal to version 1: nothing changes, nothing is reached.
	script := filepath.Join(t.TempDir(), "dws.sql")
	if err := os.WriteFile(script, []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	out = c.run(false, "lineage", "diff", "-p", p, "dws", "--script", script, "--fail-on-impact")
	if !strings.Contains(out, "-> script "+script) || !strings.Contains(out, "no lineage change") || !strings.Contains(out, "downstream: none") {
		t.Fatalf("script diff:\n%s", out)
	}

	// Committed: version 1 against version 2 is what the draft was.
	w.submit(dws)
	if d2 := diff(strconv.FormatInt(dws, 10), "1", "2"); d2.To != 2 || !equalJSON(d2.Columns, wantColumns) || len(d2.Downstream) != 1 {
		t.Fatalf("1..2 = %+v", d2)
	}
	if d3 := diff("dws"); d3.From != 2 || len(d3.Columns)+len(d3.Tables)+len(d3.Downstream) != 0 {
		t.Fatalf("2..draft = %+v", d3)
	}

	for _, bad := range [][]string{
		{"lineage", "diff", "dws"},                                        // no project
		{"lineage", "diff", "-p", p, "nosuch"},                            // no such file
		{"lineage", "diff", "-p", p, "dws", "9"},                          // no such version
		{"lineage", "diff", "-p", p, "dws", "x"},                          // not a version
		{"lineage", "diff", "-p", p, "dws", "1", "2", "--script", script}, // a script is the working copy
		{"lineage", "diff", "-p", p, "dws", "--script", filepath.Join(t.TempDir(), "missing.sql")},
	} {
		c.run(true, bad...)
	}
}

// equalJSON compares two values by their JSON.
func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
