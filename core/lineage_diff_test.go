package core_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
)

// diffLines renders a diff as lines a test can compare: "+ writes odps.p.t", "- odps.p.t.c <- odps.p.s.c direct",
// "impact odps.p.t.c node-name project".
func diffLines(d *sluice.LineageDiff) []string {
	var out []string
	sign := func(added bool) string {
		if added {
			return "+"
		}
		return "-"
	}
	for _, t := range d.Tables {
		out = append(out, fmt.Sprintf("%s %s %s", sign(t.Added), t.Direction, t.Table))
	}
	for _, c := range d.Columns {
		out = append(out, fmt.Sprintf("%s %s <- %s %s", sign(c.Added), c.Edge.Target, c.Edge.Source, c.Edge.Kind))
	}
	for _, i := range d.Impact {
		out = append(out, fmt.Sprintf("impact %s %s %s", i.Guid, i.Node.Name, i.Project))
	}
	return out
}

// TestService_DiffFileLineage: the working copy (draft or script) and committed versions compared, the tasks
// reading what changes found in readable projects only, nothing committed, and bad input refused.
func TestService_DiffFileLineage(t *testing.T) {
	fx := newFilesFixture(t)
	s, ref := fx.s, fx.ref
	dev := as(fx.dave)
	file := func(ctx context.Context, ref sluice.ProjectRef, name, sql string) *sluice.File {
		t.Helper()
		f, err := s.CreateFile(ctx, ref, sluice.File{Name: name, Type: 10, AutoParsing: true, Content: sql}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitFile(ctx, ref, f.ID, ""); err != nil {
			t.Fatal(err)
		}
		return f
	}
	dws := file(dev, ref, "dws", "INSERT OVERWRITE TABLE dws SELECT a, b FROM ods;")
	file(dev, ref, "ads_a", "INSERT OVERWRITE TABLE ads_a SELECT a FROM dws;")
	file(dev, ref, "ads_b", "INSERT OVERWRITE TABLE ads_b SELECT b FROM dws;")
	// A project vera may not read has a task reading dws.b too.
	if _, err := s.CreateProject(dev, sluice.ProjectCreate{Name: "priv"}); err != nil {
		t.Fatal(err)
	}
	file(dev, sluice.ProjectByName("priv"), "hidden", "INSERT OVERWRITE TABLE t SELECT b FROM dw_proj.dws;")

	check := func(what string, d *sluice.LineageDiff, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := diffLines(d); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s =\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	const a, b, oa, ob = "odps.dw_proj.dws.a", "odps.dw_proj.dws.b", "odps.dw_proj.ods.a", "odps.dw_proj.ods.b"

	d, err := s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{})
	check("unchanged draft", d, err)
	if d.From != 1 || d.To != 0 || d.Script {
		t.Fatalf("sides = %d..%d script %v", d.From, d.To, d.Script)
	}

	// b becomes computed: its edge changes kind; ads_b reads it, ads_a does not, hidden is not vera's to see.
	content := "INSERT OVERWRITE TABLE dws SELECT a, b + 1 AS b FROM ods;"
	if _, err := s.UpdateFile(dev, ref, dws.ID, sluice.FileUpdate{Content: &content}); err != nil {
		t.Fatal(err)
	}
	changed := []string{"- " + b + " <- " + ob + " direct", "+ " + b + " <- " + ob + " expression"}
	d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{})
	check("draft, as a viewer", d, err, append(changed, "impact "+b+" ads_b dw_proj")...)
	d, err = s.DiffFileLineage(dev, ref, dws.ID, sluice.LineageDiffQuery{})
	check("draft, as a member of both", d, err, append(changed, "impact "+b+" ads_b dw_proj", "impact "+b+" hidden priv")...)
	if f, _ := s.FindFile(dev, ref, dws.ID); f.CurrentVersion != 1 {
		t.Fatalf("the diff committed: version %d", f.CurrentVersion)
	}

	// A script writing another table: dws is no longer written, so every reader of dws is reached.
	script := "INSERT OVERWRITE TABLE other SELECT a FROM ods;"
	d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{Script: &script})
	check("script", d, err,
		"- writes odps.dw_proj.dws", "+ writes odps.dw_proj.other",
		"- "+a+" <- "+oa+" direct", "- "+b+" <- "+ob+" direct", "+ odps.dw_proj.other.a <- "+oa+" direct",
		"impact odps.dw_proj.dws ads_a dw_proj", "impact odps.dw_proj.dws ads_b dw_proj",
		"impact "+a+" ads_a dw_proj", "impact "+b+" ads_b dw_proj")
	if !d.Script || !d.Impact[0].Table || d.Impact[2].Table {
		t.Fatalf("script diff = %+v", d)
	}
	// A script the parser does not understand says so.
	bad := "INSERT OVERWRITE TABLE dws SELECT FROM ((;"
	if d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{Script: &bad}); err != nil || len(d.Errors) != 1 {
		t.Fatalf("bad script = %+v, %v", d, err)
	}

	// Committed versions: 1 -> 2 is what the draft was; 2 -> working copy is nothing.
	if _, err := s.SubmitFile(dev, ref, dws.ID, ""); err != nil {
		t.Fatal(err)
	}
	d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{From: 1, To: 2})
	check("1..2", d, err, append(changed, "impact "+b+" ads_b dw_proj")...)
	d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{})
	check("2..draft", d, err)
	d, err = s.DiffFileLineage(as(fx.vera), ref, dws.ID, sluice.LineageDiffQuery{From: 2, To: 1})
	check("2..1", d, err, "- "+b+" <- "+ob+" expression", "+ "+b+" <- "+ob+" direct", "impact "+b+" ads_b dw_proj")

	// A file never committed: everything is added.
	fresh, err := s.CreateFile(dev, ref, sluice.File{Name: "fresh", Type: 10, AutoParsing: true, Content: "INSERT INTO x SELECT a FROM ods;"}, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err = s.DiffFileLineage(dev, ref, fresh.ID, sluice.LineageDiffQuery{})
	check("never committed", d, err, "+ reads odps.dw_proj.ods", "+ writes odps.dw_proj.x", "+ odps.dw_proj.x.a <- "+oa+" direct")

	t.Run("Errors", func(t *testing.T) {
		_, err := s.DiffFileLineage(dev, ref, dws.ID, sluice.LineageDiffQuery{From: -1})
		wantCode(t, err, sluice.EINVALID)
		_, err = s.DiffFileLineage(dev, ref, dws.ID, sluice.LineageDiffQuery{To: 1, Script: &script})
		wantCode(t, err, sluice.EINVALID)
		_, err = s.DiffFileLineage(dev, ref, dws.ID, sluice.LineageDiffQuery{From: 9})
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.DiffFileLineage(dev, ref, 424242, sluice.LineageDiffQuery{})
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.DiffFileLineage(as(fx.vera), sluice.ProjectByName("priv"), dws.ID, sluice.LineageDiffQuery{})
		wantCode(t, err, sluice.EFORBIDDEN)
	})
}
