package lineage

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusMinExact is the number of corpus scripts Sluice answers exactly,
// as measured; the test fails if a change makes it lower.
const corpusMinExact = 182

// corpusExpected is a hand-checked answer: name.expected.json beside name.sql.
type corpusExpected struct {
	Dialect Dialect  `json:"dialect"`
	Inputs  []string `json:"inputs"`
	Outputs []string `json:"outputs"`
	// Errors is the number of statements reported as not (fully)
	// understood, 0 unless given: a script written to show recovery
	// expects its failures, every other script parses cleanly.
	Errors int `json:"errors,omitempty"`
}

// score accumulates set-comparison counts.
type score struct{ tp, fp, fn int }

func (s *score) add(got, want []string) {
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

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestCorpus scores Extract on the hand-checked corpus in
// testdata/corpus. Run with -v to print precision, recall and every
// mismatch.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var in, out score
	exact := 0
	perDialect := map[Dialect][2]int{}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := readExpected(t, path)
		got := Extract(string(src), want.Dialect)
		checkInvariants(t, string(src), got)
		in.add(got.Inputs, orEmpty(want.Inputs))
		out.add(got.Outputs, orEmpty(want.Outputs))
		c := perDialect[want.Dialect]
		c[1]++
		if slices.Equal(got.Inputs, orEmpty(want.Inputs)) && slices.Equal(got.Outputs, orEmpty(want.Outputs)) {
			exact++
			c[0]++
			if len(got.Errors) != want.Errors {
				t.Errorf("%s: %d statement errors, want %d: %+v", filepath.Base(path), len(got.Errors), want.Errors, got.Errors)
			}
		} else {
			t.Logf("MISMATCH %s\n  inputs  got %q\n          want %q\n  outputs got %q\n          want %q\n  errors %v",
				filepath.Base(path), got.Inputs, want.Inputs, got.Outputs, want.Outputs, got.Errors)
		}
		perDialect[want.Dialect] = c
	}
	if len(paths) < 150 {
		t.Errorf("corpus has %d scripts, want at least 150", len(paths))
	}
	t.Log(corpusSummary(len(paths), exact, in, out, perDialect))
	if exact < corpusMinExact {
		t.Errorf("exact matches %d/%d, below the measured %d", exact, len(paths), corpusMinExact)
	}
}

// readExpected reads the hand-checked answer beside the script at sqlPath.
func readExpected(t *testing.T, sqlPath string) corpusExpected {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(sqlPath, ".sql") + ".expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want corpusExpected
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", sqlPath, err)
	}
	return want
}

func corpusSummary(n, exact int, in, out score, perDialect map[Dialect][2]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scripts %d, exact %d (%.1f%%)\n", n, exact, 100*ratio(exact, n))
	fmt.Fprintf(&b, "inputs  precision %.4f recall %.4f (tp %d fp %d fn %d)\n", in.precision(), in.recall(), in.tp, in.fp, in.fn)
	fmt.Fprintf(&b, "outputs precision %.4f recall %.4f (tp %d fp %d fn %d)\n", out.precision(), out.recall(), out.tp, out.fp, out.fn)
	for _, d := range []Dialect{ODPS, Hive, Spark} {
		c := perDialect[d]
		fmt.Fprintf(&b, "%s: exact %d/%d\n", d, c[0], c[1])
	}
	return b.String()
}
