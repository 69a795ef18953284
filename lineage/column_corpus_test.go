package lineage_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/lineage"
	"github.com/sluice-dev/sluice/mcsql"
)

// Floors for the column corpus, as measured; the test fails if a change
// makes the answer worse.
const (
	columnMinEdgePrecision = 0.95
	columnMinEdgeRecall    = 0.95
	columnMinKind          = 0.95
)

// columnExpected is the spec's answer for one file, written by hand.
type columnExpected struct {
	Inputs  []string `json:"inputs"`
	Outputs []string `json:"outputs"`
	Errors  []struct {
		Statement int `json:"statement"`
		Line      int `json:"line"`
	} `json:"errors"`
	Columns []lineage.ColumnEdge `json:"columns"`
}

// corpusSchemas reads testdata/columns/schema.ddl, the schemas every corpus
// script is given, as `sluice lineage --columns --schema` reads them.
func corpusSchemas(t testing.TB) lineage.Schemas {
	b, err := os.ReadFile(filepath.Join("testdata", "columns", "schema.ddl"))
	if err != nil {
		t.Fatal(err)
	}
	s := lineage.Schemas{}
	if err := mcsql.AddTableColumns(s, string(b)); err != nil {
		t.Fatal(err)
	}
	return s
}

// corpusDialect is the dialect a corpus file's name starts with.
func corpusDialect(name string) lineage.Dialect {
	d, _, _ := strings.Cut(filepath.Base(name), "_")
	return lineage.Dialect(d)
}

type edgeScore struct{ tp, fp, fn int }

func (s *edgeScore) add(got, want []string) {
	for _, g := range got {
		if slices.Contains(want, g) {
			s.tp++
		} else {
			s.fp++
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			s.fn++
		}
	}
}

func frac(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s edgeScore) precision() float64 { return frac(s.tp, s.tp+s.fp) }
func (s edgeScore) recall() float64    { return frac(s.tp, s.tp+s.fn) }

// edges lists a column answer as target|source pairs, the unit scored.
func edges(cols []lineage.ColumnEdge) []string {
	var e []string
	for _, c := range cols {
		for _, s := range c.Sources {
			e = append(e, c.Target+"|"+s)
		}
	}
	return e
}

// TestColumnCorpus scores ExtractColumns on the hand-checked corpus in
// testdata/columns: precision and recall of column edges (target, source),
// of targets, and the share of targets found in both whose kind matches.
// Run with -v for the figures and every mismatch.
func TestColumnCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "columns", "*.sql"))
	if err != nil || len(paths) == 0 {
		t.Fatal("no corpus", err)
	}
	schemas := corpusSchemas(t)
	var edge, target, table edgeScore
	kindOK, kindN, assumedOK, exact, errOK := 0, 0, 0, 0, 0
	perDialect := map[lineage.Dialect]int{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".sql")
		script, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(strings.TrimSuffix(path, ".sql") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var want columnExpected
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := corpusDialect(name)
		perDialect[d]++
		got := lineage.ExtractColumns(string(script), d, schemas)
		table.add(got.Inputs, want.Inputs)
		table.add(got.Outputs, want.Outputs)
		ge, we := edges(got.Columns), edges(want.Columns)
		edge.add(ge, we)
		var gt, wt []string
		for _, c := range got.Columns {
			gt = append(gt, c.Target)
		}
		for _, c := range want.Columns {
			wt = append(wt, c.Target)
		}
		target.add(gt, wt)
		same := true
		for _, w := range want.Columns {
			i := slices.IndexFunc(got.Columns, func(g lineage.ColumnEdge) bool { return g.Target == w.Target })
			if i < 0 {
				same = false
				continue
			}
			g := got.Columns[i]
			kindN++
			if g.Kind == w.Kind {
				kindOK++
			} else {
				same = false
				t.Logf("%s: %s kind %s, want %s", name, w.Target, g.Kind, w.Kind)
			}
			if g.Assumed == w.Assumed {
				assumedOK++
			} else {
				same = false
				t.Logf("%s: %s assumed %v, want %v", name, w.Target, g.Assumed, w.Assumed)
			}
			if !slices.Equal(g.Sources, w.Sources) {
				same = false
				t.Logf("%s: %s sources %v, want %v", name, w.Target, g.Sources, w.Sources)
			}
		}
		for _, g := range gt {
			if !slices.Contains(wt, g) {
				same = false
				t.Logf("%s: unexpected target %s", name, g)
			}
		}
		var gerr, werr []string
		for _, e := range got.Errors {
			gerr = append(gerr, fmt.Sprintf("%d@%d", e.Index, e.Line))
		}
		for _, e := range want.Errors {
			werr = append(werr, fmt.Sprintf("%d@%d", e.Statement, e.Line))
		}
		if slices.Equal(gerr, werr) {
			errOK++
		} else {
			same = false
			t.Logf("%s: errors %v, want %v (%v)", name, gerr, werr, got.Errors)
		}
		if !slices.Equal(got.Inputs, want.Inputs) || !slices.Equal(got.Outputs, want.Outputs) {
			same = false
			t.Logf("%s: tables %v -> %v, want %v -> %v", name, got.Inputs, got.Outputs, want.Inputs, want.Outputs)
		}
		if same {
			exact++
		}
	}
	t.Logf("scripts %d (odps %d, hive %d, spark %d), exact %d", len(paths), perDialect[lineage.ODPS], perDialect[lineage.Hive], perDialect[lineage.Spark], exact)
	t.Logf("column edges: precision %.3f recall %.3f (tp %d fp %d fn %d)", edge.precision(), edge.recall(), edge.tp, edge.fp, edge.fn)
	t.Logf("targets: precision %.3f recall %.3f; kind %.3f (%d/%d); assumed %.3f; errors exact %d/%d; tables precision %.3f recall %.3f",
		target.precision(), target.recall(), frac(kindOK, kindN), kindOK, kindN, frac(assumedOK, kindN), errOK, len(paths), table.precision(), table.recall())
	if edge.precision() < columnMinEdgePrecision || edge.recall() < columnMinEdgeRecall {
		t.Errorf("column edges: precision %.3f recall %.3f, want at least %.2f and %.2f", edge.precision(), edge.recall(), columnMinEdgePrecision, columnMinEdgeRecall)
	}
	if k := frac(kindOK, kindN); k < columnMinKind {
		t.Errorf("kind accuracy %.3f, want at least %.2f", k, columnMinKind)
	}
}
