package core_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/openlineage"
)

// recordingEmitter keeps the events the commit's job sends.
type recordingEmitter struct{ events []openlineage.Event }

func (r *recordingEmitter) Emit(_ context.Context, e openlineage.Event) error {
	r.events = append(r.events, e)
	return nil
}

// TestService_LineageEvents: the export is the commit's announcement, byte for byte; its datasets and column
// lineage facet say what the version reads and writes; every file's last committed version by default.
func TestService_LineageEvents(t *testing.T) {
	fx := newFilesFixture(t)
	s, ref := fx.s, fx.ref
	sent := &recordingEmitter{}
	s.Lineage, s.LineageNamespace = sent, "sluice-test"
	dev, viewer := as(fx.dave), as(fx.vera)
	create := func(name, sql string) *sluice.File {
		t.Helper()
		f, err := s.CreateFile(dev, ref, sluice.File{Name: name, Type: 10, AutoParsing: true, Content: sql}, false)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	submit := func(f *sluice.File) {
		t.Helper()
		if _, err := s.SubmitFile(dev, ref, f.ID, ""); err != nil {
			t.Fatal(err)
		}
		for ran := true; ran; {
			var err error
			if ran, err = s.RunJob(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	dws := create("dws", "INSERT OVERWRITE TABLE dws SELECT a, sum(b) AS total FROM ods GROUP BY a;")
	submit(dws)
	v2 := "INSERT OVERWRITE TABLE dws SELECT a, b AS total FROM ods;"
	if _, err := s.UpdateFile(dev, ref, dws.ID, sluice.FileUpdate{Content: &v2}); err != nil {
		t.Fatal(err)
	}
	submit(dws)
	ads := create("ads", "INSERT OVERWRITE TABLE ads SELECT total FROM dws;")
	submit(ads)
	draft := create("draft_only", "INSERT OVERWRITE TABLE x SELECT 1;") // never committed: no event
	if len(sent.events) != 3 {
		t.Fatalf("the commits announced %d events", len(sent.events))
	}

	all, err := s.LineageEvents(viewer, ref, 0, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	// The export of a version is the event its commit sent.
	if !reflect.DeepEqual(all, []openlineage.Event{sent.events[1], sent.events[2]}) {
		t.Fatalf("export = %+v\nsent %+v", all, sent.events[1:])
	}
	e := all[0]
	if e.Job.Namespace != "sluice-test" || e.Job.Name != "dw_proj/dws" || e.Job.Facets.SQL.Query != v2 {
		t.Fatalf("job = %+v", e.Job)
	}
	ds := func(list []openlineage.Dataset) []string {
		var out []string
		for _, d := range list {
			out = append(out, d.Namespace+" "+d.Name)
		}
		return out
	}
	if got := ds(e.Inputs); !reflect.DeepEqual(got, []string{"maxcompute dw_proj.ods"}) {
		t.Fatalf("inputs = %v", got)
	}
	if got := ds(e.Outputs); !reflect.DeepEqual(got, []string{"maxcompute dw_proj.dws"}) {
		t.Fatalf("outputs = %v", got)
	}
	fields := func(e openlineage.Event) string {
		b, _ := json.Marshal(e.Outputs[0].Facets.ColumnLineage.Fields)
		return string(b)
	}
	identity := `[{"type":"DIRECT","subtype":"IDENTITY"}]`
	want := `{"a":{"inputFields":[{"namespace":"maxcompute","name":"dw_proj.ods","field":"a","transformations":` + identity + `}]},` +
		`"total":{"inputFields":[{"namespace":"maxcompute","name":"dw_proj.ods","field":"b","transformations":` + identity + `}]}}`
	if got := fields(e); got != want {
		t.Fatalf("column lineage = %s\nwant %s", got, want)
	}

	// One version, in another namespace: version 1 aggregated.
	one, err := s.LineageEvents(viewer, ref, dws.ID, 1, "other-ns")
	if err != nil || len(one) != 1 {
		t.Fatalf("version 1 = %+v, %v", one, err)
	}
	if one[0].Job.Namespace != "other-ns" || one[0].Job.Facets.Tags.Tags[2].Value != "1" {
		t.Fatalf("version 1 job = %+v", one[0].Job)
	}
	want = `{"a":{"inputFields":[{"namespace":"maxcompute","name":"dw_proj.ods","field":"a","transformations":` + identity + `}]},` +
		`"total":{"inputFields":[{"namespace":"maxcompute","name":"dw_proj.ods","field":"b","transformations":[{"type":"DIRECT","subtype":"AGGREGATION"}]}]}}`
	if got := fields(one[0]); got != want {
		t.Fatalf("version 1 column lineage = %s\nwant %s", got, want)
	}
	// A file alone: its last committed version.
	if cur, err := s.LineageEvents(viewer, ref, ads.ID, 0, ""); err != nil || !reflect.DeepEqual(cur, []openlineage.Event{sent.events[2]}) {
		t.Fatalf("ads = %+v, %v", cur, err)
	}

	t.Run("Errors", func(t *testing.T) {
		_, err := s.LineageEvents(viewer, ref, dws.ID, 9, "")
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.LineageEvents(viewer, ref, draft.ID, 0, "")
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.LineageEvents(viewer, ref, 424242, 0, "")
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.LineageEvents(viewer, ref, 0, 1, "")
		wantCode(t, err, sluice.EINVALID)
		_, err = s.LineageEvents(viewer, ref, dws.ID, -1, "")
		wantCode(t, err, sluice.EINVALID)
		_, err = s.LineageEvents(viewer, ref, 0, 0, "bad\nnamespace")
		wantCode(t, err, sluice.EINVALID)
		_, err = s.LineageEvents(as(fx.alice), sluice.ProjectByName("nope"), 0, 0, "")
		wantCode(t, err, sluice.EFORBIDDEN)
	})
}
