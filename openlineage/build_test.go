package openlineage_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sluice-dev/sluice/openlineage"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var committedAt = time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.FixedZone("CST", 8*3600))

// versions are the committed versions the tests build events for, one per shape of lineage.
var versions = map[string]openlineage.Version{
	// One table read, one written, every column passed through.
	"OneToOne": {
		Namespace: "sluice-test", Project: "sales", FileID: 7, FileName: "ods_to_dwd", Path: "sales/MaxCompute/dwd",
		Version: 1, Committer: "1001", CommittedAt: committedAt, Dialect: "odps",
		SQL:     "INSERT OVERWRITE TABLE dwd_orders SELECT order_id, price FROM ods_orders;",
		Inputs:  []string{"odps.sales.ods_orders"},
		Outputs: []string{"odps.sales.dwd_orders"},
		Columns: []openlineage.ColumnEdge{
			{Target: "odps.sales.dwd_orders.order_id", Source: "odps.sales.ods_orders.order_id", Kind: "direct"},
			{Target: "odps.sales.dwd_orders.price", Source: "odps.sales.ods_orders.price", Kind: "direct"},
		},
	},
	// Two inputs, one from another project, every kind, schemas known: the golden event.
	"MultiInput": {
		Namespace: "sluice-test", Project: "sales", FileID: 42, FileName: "dws_orders", Path: "sales/MaxCompute/dws",
		Version: 3, Committer: "1001", CommittedAt: committedAt, Dialect: "odps",
		SourceURL: "https://sluice.example.com/projects/sales/files/42/versions/3",
		SQL: "INSERT OVERWRITE TABLE dws_orders PARTITION (ds='${bizdate}')\n" +
			"SELECT s.name AS shop_name, sum(o.price * o.qty) > 0 AND o.x <> 1 AS amount, count(o.order_id) AS order_cnt\n" +
			"FROM ods_orders o JOIN common.dim_shop s ON o.shop_id = s.id GROUP BY s.name;",
		Inputs:  []string{"odps.sales.ods_orders", "odps.common.dim_shop"},
		Outputs: []string{"odps.sales.dws_orders"},
		Columns: []openlineage.ColumnEdge{
			{Target: "odps.sales.dws_orders.shop_name", Source: "odps.common.dim_shop.name", Kind: "direct"},
			{Target: "odps.sales.dws_orders.amount", Source: "odps.sales.ods_orders.qty", Kind: "expression"},
			{Target: "odps.sales.dws_orders.amount", Source: "odps.sales.ods_orders.price", Kind: "expression"},
			{Target: "odps.sales.dws_orders.order_cnt", Source: "odps.sales.ods_orders.order_id", Kind: "aggregation"},
			{Target: "odps.sales.dws_orders.ds", Kind: "constant"},
		},
		Schemas: map[string][]openlineage.Field{
			"odps.sales.dws_orders": {
				{Name: "shop_name", Type: "STRING", Description: "shop display name"},
				{Name: "amount", Type: "DECIMAL(18,2)"},
				{Name: "order_cnt", Type: "BIGINT"},
				{Name: "ds", Type: "STRING", Description: "partition"},
			},
			"odps.common.dim_shop": {{Name: "id", Type: "BIGINT"}, {Name: "name", Type: "STRING"}},
		},
	},
	// Targets with no source column: a static partition, a literal, count(*).
	"Constants": {
		Project: "sales", FileID: 8, FileName: "daily_marker", Version: 2, CommittedAt: committedAt,
		SQL:     "INSERT INTO TABLE markers PARTITION (ds='${bizdate}') SELECT 'done', count(*) FROM ods_orders;",
		Inputs:  []string{"odps.sales.ods_orders"},
		Outputs: []string{"odps.sales.markers"},
		Columns: []openlineage.ColumnEdge{
			{Target: "odps.sales.markers.ds", Kind: "constant"},
			{Target: "odps.sales.markers.status", Kind: "constant"},
			{Target: "odps.sales.markers.cnt", Kind: "aggregation"},
		},
	},
	// Table lineage only: no column lineage, no schemas.
	"NoColumns": {
		Namespace: "sluice-test", Project: "sales", FileID: 9, FileName: "copy", Path: "/sales/MaxCompute/", Version: 5,
		CommittedAt: committedAt,
		SQL:         "INSERT OVERWRITE TABLE sales.t2 SELECT * FROM sales.t1;",
		Inputs:      []string{"odps.sales.t1"},
		Outputs:     []string{"odps.sales.t2"},
	},
	// A view, in a three-part (project.schema.table) name.
	"View": {
		Namespace: "sluice-test", DatasetNamespace: "maxcompute://service.cn-shanghai.maxcompute.aliyun.com",
		Project: "sales", FileID: 10, FileName: "v_orders", Version: 1, CommittedAt: committedAt,
		SQL:     "CREATE OR REPLACE VIEW sales.rpt.v_orders AS SELECT order_id FROM ods_orders;",
		Inputs:  []string{"odps.sales.ods_orders"},
		Outputs: []string{"odps.sales.rpt.v_orders"},
		Views:   []string{"odps.sales.rpt.v_orders"},
		Columns: []openlineage.ColumnEdge{
			{Target: "odps.sales.rpt.v_orders.order_id", Source: "odps.sales.ods_orders.order_id", Kind: "direct"},
		},
	},
}

func TestJobEvent_SchemaValid(t *testing.T) {
	for name, v := range versions {
		t.Run(name, func(t *testing.T) {
			for _, e := range []openlineage.Event{openlineage.JobEvent(v), openlineage.RunEvent(v)} {
				checkStructure(t, e)
			}
			s := mustSpec(t)
			for _, e := range []openlineage.Event{openlineage.JobEvent(v), openlineage.RunEvent(v)} {
				raw, _ := openlineage.Marshal(e)
				s.validate(t, raw)
			}
		})
	}
}

func TestJobEvent_Golden(t *testing.T) {
	raw, err := openlineage.Marshal(openlineage.JobEvent(versions["MultiInput"]))
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := indent(&pretty, raw); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "jobevent.golden")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("event differs from %s (go test -update rewrites it):\n%s", path, pretty.Bytes())
	}
}

func TestJobEvent_Shapes(t *testing.T) {
	t.Run("JobEventHasNoRun", func(t *testing.T) {
		e := openlineage.JobEvent(versions["OneToOne"])
		if e.Run != nil || e.EventType != "" {
			t.Fatalf("run %v, eventType %q", e.Run, e.EventType)
		}
		if !strings.HasSuffix(e.SchemaURL, "/2-0-2/OpenLineage.json#/$defs/JobEvent") {
			t.Fatalf("schemaURL %q", e.SchemaURL)
		}
		if e.EventTime.Location() != time.UTC || !e.EventTime.Equal(committedAt) {
			t.Fatalf("eventTime %v", e.EventTime)
		}
	})
	t.Run("Names", func(t *testing.T) {
		e := openlineage.JobEvent(versions["MultiInput"])
		if e.Job.Namespace != "sluice-test" || e.Job.Name != "sales/sales/MaxCompute/dws/dws_orders" {
			t.Fatalf("job %s %s", e.Job.Namespace, e.Job.Name)
		}
		if got := names(e.Inputs); !slices.Equal(got, []string{"maxcompute common.dim_shop", "maxcompute sales.ods_orders"}) {
			t.Fatalf("inputs %v", got)
		}
		c := openlineage.JobEvent(versions["Constants"])
		if c.Job.Namespace != openlineage.DefaultNamespace || c.Job.Name != "sales/daily_marker" {
			t.Fatalf("defaults: job %s %s", c.Job.Namespace, c.Job.Name)
		}
		if n := openlineage.JobEvent(versions["NoColumns"]).Job.Name; n != "sales/sales/MaxCompute/copy" {
			t.Fatalf("slashes around the path: %s", n)
		}
	})
	t.Run("KindMapping", func(t *testing.T) {
		fields := openlineage.JobEvent(versions["MultiInput"]).Outputs[0].Facets.ColumnLineage.Fields
		want := map[string]string{
			"shop_name": "common.dim_shop.name DIRECT/IDENTITY",
			"amount":    "sales.ods_orders.price DIRECT/TRANSFORMATION, sales.ods_orders.qty DIRECT/TRANSFORMATION",
			"order_cnt": "sales.ods_orders.order_id DIRECT/AGGREGATION",
			"ds":        "",
		}
		if len(fields) != len(want) {
			t.Fatalf("fields %v", fields)
		}
		for col, w := range want {
			var got []string
			for _, in := range fields[col].InputFields {
				for _, tr := range in.Transformations {
					got = append(got, in.Name+"."+in.Field+" "+tr.Type+"/"+tr.Subtype)
				}
			}
			if g := strings.Join(got, ", "); g != w {
				t.Errorf("%s: %q, want %q", col, g, w)
			}
		}
	})
	t.Run("Constants", func(t *testing.T) {
		e := openlineage.JobEvent(versions["Constants"])
		fields := e.Outputs[0].Facets.ColumnLineage.Fields
		for _, col := range []string{"ds", "status", "cnt"} {
			f, ok := fields[col]
			if !ok || f.InputFields == nil || len(f.InputFields) != 0 {
				t.Errorf("%s: %+v, want an entry with no input fields", col, f)
			}
		}
		raw, _ := openlineage.Marshal(e)
		if !bytes.Contains(raw, []byte(`"ds":{"inputFields":[]}`)) {
			t.Errorf("constant not written as an empty list: %s", raw)
		}
	})
	t.Run("NoColumns", func(t *testing.T) {
		e := openlineage.JobEvent(versions["NoColumns"])
		for _, d := range append(e.Inputs, e.Outputs...) {
			if d.Facets != nil {
				t.Errorf("%s has facets %+v", d.Name, d.Facets)
			}
		}
		if e.Job.Facets.SQL == nil || e.Job.Facets.SQL.Query != versions["NoColumns"].SQL || e.Job.Facets.SourceCodeLocation != nil {
			t.Errorf("job facets %+v", e.Job.Facets)
		}
	})
	t.Run("View", func(t *testing.T) {
		e := openlineage.JobEvent(versions["View"])
		out := e.Outputs[0]
		if out.Namespace != "maxcompute://service.cn-shanghai.maxcompute.aliyun.com" || out.Name != "sales.rpt.v_orders" {
			t.Fatalf("output %s %s", out.Namespace, out.Name)
		}
		if out.Facets.DatasetType == nil || out.Facets.DatasetType.DatasetType != "VIEW" {
			t.Fatalf("datasetType %+v", out.Facets.DatasetType)
		}
		if e.Inputs[0].Facets != nil {
			t.Fatalf("a table input typed: %+v", e.Inputs[0].Facets)
		}
		if in := out.Facets.ColumnLineage.Fields["order_id"].InputFields[0]; in.Namespace != out.Namespace {
			t.Fatalf("input field namespace %s", in.Namespace)
		}
	})
	t.Run("TablesOnlyInColumnEdges", func(t *testing.T) {
		v := versions["OneToOne"]
		v.Inputs, v.Outputs = nil, nil
		e := openlineage.JobEvent(v)
		if names(e.Inputs)[0] != "maxcompute sales.ods_orders" || names(e.Outputs)[0] != "maxcompute sales.dwd_orders" {
			t.Fatalf("inputs %v outputs %v", names(e.Inputs), names(e.Outputs))
		}
	})
	t.Run("RepeatedSourceMerged", func(t *testing.T) {
		v := openlineage.Version{Project: "p", Columns: []openlineage.ColumnEdge{
			{Target: "odps.p.t.c", Source: "odps.p.s.a", Kind: "aggregation"},
			{Target: "odps.p.t.c", Source: "odps.p.s.a", Kind: "direct"},
			{Target: "odps.p.t.c", Source: "odps.p.s.a", Kind: "direct"},
		}}
		in := openlineage.JobEvent(v).Outputs[0].Facets.ColumnLineage.Fields["c"].InputFields
		if len(in) != 1 || len(in[0].Transformations) != 2 || in[0].Transformations[0].Subtype != "AGGREGATION" {
			t.Fatalf("input fields %+v", in)
		}
	})
}

func TestRunEvent(t *testing.T) {
	v := versions["MultiInput"]
	e := openlineage.RunEvent(v)
	if e.EventType != "COMPLETE" || e.Run == nil || !strings.HasSuffix(e.SchemaURL, "#/$defs/RunEvent") {
		t.Fatalf("eventType %q run %v schemaURL %q", e.EventType, e.Run, e.SchemaURL)
	}
	id, err := uuid.Parse(e.Run.RunID)
	if err != nil || id.Version() != 7 || id.Variant() != uuid.RFC4122 {
		t.Fatalf("runId %s: version %d variant %v err %v", e.Run.RunID, id.Version(), id.Variant(), err)
	}
	if sec, nsec := id.Time().UnixTime(); time.Unix(sec, nsec).UnixMilli() != committedAt.UnixMilli() {
		t.Errorf("runId time %v, want the commit time %v", time.Unix(sec, nsec), committedAt)
	}
	if again := openlineage.RunID(v); again != e.Run.RunID {
		t.Errorf("runId not deterministic: %s then %s", e.Run.RunID, again)
	}
	seen := map[string]string{e.Run.RunID: "base"}
	for name, change := range map[string]func(*openlineage.Version){
		"Namespace": func(v *openlineage.Version) { v.Namespace = "other" },
		"Project":   func(v *openlineage.Version) { v.Project = "other" },
		"FileID":    func(v *openlineage.Version) { v.FileID++ },
		"Version":   func(v *openlineage.Version) { v.Version++ },
	} {
		w := v
		change(&w)
		id := openlineage.RunID(w)
		if prev, dup := seen[id]; dup {
			t.Errorf("changing %s gives the runId of %s", name, prev)
		}
		seen[id] = name
	}
}

// TestJobEvent_AnyVersion builds events for random versions, odd strings included, and checks
// that every one is well formed and, with the spec at hand, schema-valid.
func TestJobEvent_AnyVersion(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s *specSchemas
	if os.Getenv(specEnv) != "" {
		s = mustSpec(t)
	}
	for i := range 500 {
		v := randomVersion(r)
		for _, e := range []openlineage.Event{openlineage.JobEvent(v), openlineage.RunEvent(v)} {
			checkStructure(t, e)
			if s != nil {
				raw, _ := openlineage.Marshal(e)
				s.validate(t, raw)
			}
		}
		if t.Failed() {
			t.Fatalf("version %d: %#v", i, v)
		}
	}
}

func FuzzJobEvent(f *testing.F) {
	f.Add("sales", "dws", "p/a", "odps.sales.t", "odps.sales.t.c", "odps.sales.s.c", "direct", "select 1", "https://x/y", int64(1e12))
	f.Fuzz(func(t *testing.T, project, file, path, table, target, source, kind, sql, srcURL string, ms int64) {
		v := openlineage.Version{
			Project: project, FileName: file, Path: path, SQL: sql, SourceURL: srcURL,
			CommittedAt: time.UnixMilli(ms % 253402300799000), // within the years encoding/json can write
			Inputs:      []string{table}, Outputs: []string{table},
			Columns: []openlineage.ColumnEdge{{Target: target, Source: source, Kind: kind}},
			Schemas: map[string][]openlineage.Field{table: {{Name: kind, Type: sql}}},
			Views:   []string{table},
		}
		for _, e := range []openlineage.Event{openlineage.JobEvent(v), openlineage.RunEvent(v)} {
			checkStructure(t, e)
			if os.Getenv(specEnv) != "" {
				raw, _ := openlineage.Marshal(e)
				mustSpec(t).validate(t, raw)
			}
		}
	})
}

// randomVersion draws a version from small pools of plausible and hostile values, so that
// collisions (one table in and out, repeated edges) happen often.
func randomVersion(r *rand.Rand) openlineage.Version {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	word := func() string {
		return pick("", "t", "sales", "ods_orders", "Ünïcödé", "a b", `q"uote`, "back\\slash", "<&>", "x.y", "\xff", "${bizdate}")
	}
	table := func() string { return pick("odps.", "odps.p.", "odps.q.s.", "", "p.") + word() }
	column := func() string { return table() + pick(".", ".c", ".*", ".col_1", "") }
	v := openlineage.Version{
		Namespace: pick("", "sluice", "sluice://h:1"), DatasetNamespace: pick("", "maxcompute", "odps://p"),
		Project: word(), FileID: r.Int64() - r.Int64(), FileName: word(), Path: word() + pick("", "/", "/x/") + word(),
		Version: r.IntN(100) - 1, Committer: word(), SQL: word(), Dialect: pick("", "odps", "hive"),
		SourceURL:   pick("", "https://sluice.example.com/f/1", "http://[::1]:8080/a?b=c#d", "not a url", "mailto:x@y", "/relative"),
		CommittedAt: pick2(r, time.Time{}, time.Unix(r.Int64N(7e9)-1e9, r.Int64N(1e9)).In(time.FixedZone("", r.IntN(50000)-25000))),
	}
	for range r.IntN(4) {
		v.Inputs = append(v.Inputs, table())
	}
	for range r.IntN(3) {
		v.Outputs = append(v.Outputs, table())
	}
	for range r.IntN(8) {
		v.Columns = append(v.Columns, openlineage.ColumnEdge{
			Target: column(), Source: pick("", column()), Kind: pick("direct", "expression", "aggregation", "constant", "", "weird"),
		})
	}
	if r.IntN(2) == 0 {
		v.Views = append(v.Views, table())
	}
	if n := r.IntN(3); n > 0 {
		v.Schemas = map[string][]openlineage.Field{}
		for range n {
			var fields []openlineage.Field
			for range r.IntN(4) {
				fields = append(fields, openlineage.Field{Name: word(), Type: pick("", "STRING", "ARRAY<STRUCT<a:INT>>"), Description: word()})
			}
			v.Schemas[table()] = fields
		}
	}
	return v
}

func pick2[T any](r *rand.Rand, a, b T) T {
	if r.IntN(2) == 0 {
		return a
	}
	return b
}

func names(ds []openlineage.Dataset) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s %s", d.Namespace, d.Name)
	}
	return out
}

func indent(dst *bytes.Buffer, raw []byte) error {
	if err := json.Indent(dst, raw, "", "  "); err != nil {
		return err
	}
	dst.WriteByte('\n')
	return nil
}
