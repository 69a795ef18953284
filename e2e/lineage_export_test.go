package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/openlineage"
)

// events parses the lines `lineage export` printed.
func events(t *testing.T, out string) []openlineage.Event {
	t.Helper()
	var list []openlineage.Event
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var e openlineage.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not an event a line: %v\n%s", err, out)
		}
		list = append(list, e)
	}
	return list
}

// lineageFields is the column lineage facet of an event's first output, as JSON.
func lineageFields(t *testing.T, e openlineage.Event) string {
	t.Helper()
	if len(e.Outputs) == 0 || e.Outputs[0].Facets == nil || e.Outputs[0].Facets.ColumnLineage == nil {
		t.Fatalf("no column lineage facet: %+v", e.Outputs)
	}
	b, _ := json.Marshal(e.Outputs[0].Facets.ColumnLineage.Fields)
	return string(b)
}

// validateExport checks exported lines against OpenLineage's JSON schemas when SLUICE_TEST_OPENLINEAGE_SPEC
// names them, with the openlineage package's own check (TestSpec_EventsFile).
func validateExport(t *testing.T, out string) {
	t.Helper()
	if os.Getenv("SLUICE_TEST_OPENLINEAGE_SPEC") == "" {
		return
	}
	path := filepath.Join(t.TempDir(), "events.ndjson")
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestSpec_EventsFile$", "../openlineage")
	cmd.Env = append(os.Environ(), "SLUICE_TEST_OPENLINEAGE_EVENTS="+path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the exported events do not follow the spec: %v\n%s", err, b)
	}
}

// TestCLI_LineageExport: `sluice lineage export --format openlineage` through the built binary: a project's
// committed versions from the server (every file's last, one file, one version, another namespace) and local
// scripts without a server, the column lineage facet in each, and the refusals.
func TestCLI_LineageExport(t *testing.T) {
	w, srv, c := lineageWorkspace(t, "export_dw")
	p := w.name
	catalogSQL(t, srv, p, "CREATE TABLE ods (a BIGINT, b BIGINT); CREATE TABLE dws (a BIGINT, total BIGINT);")
	w.createBusiness("sales")
	dws := w.sqlFileIn("业务流程/sales/MaxCompute/dws", "dws", "INSERT OVERWRITE TABLE dws SELECT a, sum(b) FROM ods GROUP BY a;")
	w.submit(dws)
	w.setContent(dws, "INSERT OVERWRITE TABLE dws SELECT a, b FROM ods;")
	w.submit(dws)
	ads := w.sqlFile("ads", "INSERT OVERWRITE TABLE ads SELECT total FROM dws;")
	w.submit(ads)
	w.sqlFile("draft", "INSERT OVERWRITE TABLE x SELECT 1;") // never committed: not exported

	export := func(args ...string) (string, []openlineage.Event) {
		t.Helper()
		out := c.run(false, append([]string{"lineage", "export", "--format", "openlineage"}, args...)...)
		return out, events(t, out)
	}
	identity := `[{"type":"DIRECT","subtype":"IDENTITY"}]`
	field := func(col, table, src, tr string) string {
		return `"` + col + `":{"inputFields":[{"namespace":"maxcompute","name":"` + table + `","field":"` + src + `","transformations":` + tr + `}]}`
	}
	out, all := export("-p", p)
	if len(all) != 2 || all[0].Job.Name != "export_dw/sales/MaxCompute/dws/dws" || all[1].Job.Name != "export_dw/ads" ||
		all[0].Job.Namespace != "sluice" || all[0].Job.Facets.Tags.Tags[len(all[0].Job.Facets.Tags.Tags)-1].Value != "2" {
		t.Fatalf("project export:\n%s", out)
	}
	if all[0].Inputs[0].Name != "export_dw.ods" || all[0].Outputs[0].Namespace != "maxcompute" || all[0].Outputs[0].Name != "export_dw.dws" {
		t.Fatalf("datasets: %+v %+v", all[0].Inputs, all[0].Outputs)
	}
	// Named by the catalogue's DDL (total, not _c1), as the commit named them.
	if got, want := lineageFields(t, all[0]), "{"+field("a", "export_dw.ods", "a", identity)+","+field("total", "export_dw.ods", "b", identity)+"}"; got != want {
		t.Fatalf("column lineage = %s\nwant %s", got, want)
	}
	if got, want := lineageFields(t, all[1]), "{"+field("total", "export_dw.dws", "total", identity)+"}"; got != want {
		t.Fatalf("ads column lineage = %s\nwant %s", got, want)
	}
	validateExport(t, out)

	// One version of one file, by path, in another namespace.
	out, one := export("-p", p, "业务流程/sales/MaxCompute/dws/dws", "1", "--namespace", "ci")
	aggregated := `[{"type":"DIRECT","subtype":"AGGREGATION"}]`
	if len(one) != 1 || one[0].Job.Namespace != "ci" ||
		lineageFields(t, one[0]) != "{"+field("a", "export_dw.ods", "a", identity)+","+field("total", "export_dw.ods", "b", aggregated)+"}" {
		t.Fatalf("version 1:\n%s", out)
	}
	if _, cur := export("-p", p, "ads"); len(cur) != 1 || cur[0].Job.Name != "export_dw/ads" {
		t.Fatalf("ads: %+v", cur)
	}

	// Local scripts, no server: the job is the file, the columns named by --schema.
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ddl := write("schema.ddl", "CREATE TABLE dws (a BIGINT, total BIGINT);")
	script := write("load_dws.sql", "INSERT OVERWRITE TABLE dws SELECT a, sum(b) FROM ods GROUP BY a;")
	local := exec.Command(c.bin, "lineage", "export", "--format", "openlineage", "--namespace", "local", "--schema", ddl, script)
	local.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir} // no server, no credentials
	b, err := local.Output()
	if err != nil {
		t.Fatalf("local export: %v", err)
	}
	loc := events(t, string(b))
	if len(loc) != 1 || loc[0].Job.Name != "load_dws.sql" || loc[0].Job.Namespace != "local" || loc[0].Job.Facets.Tags != nil ||
		lineageFields(t, loc[0]) != "{"+field("a", "ods", "a", identity)+","+field("total", "ods", "b", aggregated)+"}" {
		t.Fatalf("local export:\n%s", b)
	}
	validateExport(t, string(b))
	// A statement not understood: the events still print, and the status is 1.
	bad := write("bad.sql", "INSERT OVERWRITE TABLE t SELECT FROM ((;")
	if stderr := c.run(true, "lineage", "export", "--format", "openlineage", bad); !strings.Contains(stderr, "not understood in bad.sql") {
		t.Fatalf("bad script: %s", stderr)
	}

	for _, args := range [][]string{
		{"--format", "csv", "-p", p}, // not a format
		{"-p", p},                    // no format
		{"--format", "openlineage"},  // neither a project nor files
		{"--format", "openlineage", "-p", p, "dws", "0"},      // not a version
		{"--format", "openlineage", "-p", p, "dws", "9"},      // no such version
		{"--format", "openlineage", "-p", p, "draft"},         // never committed
		{"--format", "openlineage", "-p", "nosuch"},           // no such project
		{"--format", "openlineage", "-p", p, "--schema", ddl}, // --schema is for local files
	} {
		c.run(true, append([]string{"lineage", "export"}, args...)...)
	}
	if stderr := c.run(true, "lineage", "export", "--format", "csv", script); !strings.Contains(stderr, "supported formats are openlineage") {
		t.Fatalf("bad format: %s", stderr)
	}
}
