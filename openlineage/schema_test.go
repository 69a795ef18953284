package openlineage_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sluice-dev/sluice/openlineage"
)

// specEnv names the spec/ directory of an OpenLineage release (OpenLineage.json and facets/*.json),
// e.g. of release 1.52.0, whose core spec is 2-0-2. The schemas are not kept in this repository;
// without the variable, the schema checks are skipped and the structural checks still run, as the
// PostgreSQL suite runs only where SLUICE_TEST_POSTGRES_DSN is set.
const specEnv = "SLUICE_TEST_OPENLINEAGE_SPEC"

// specSchemas is the compiled spec: the event schema and one schema per facet file, keyed by the
// file's $id, which is the facet's _schemaURL without its fragment.
type specSchemas struct {
	event  *jsonschema.Schema
	facets map[string]*jsonschema.Schema
}

var (
	specOnce sync.Once
	spec     *specSchemas
	specErr  error
)

// mustSpec returns the compiled spec, or skips the test when specEnv is unset.
func mustSpec(tb testing.TB) *specSchemas {
	tb.Helper()
	dir := os.Getenv(specEnv)
	if dir == "" {
		tb.Skipf("%s is not set: not validating against the OpenLineage JSON schemas", specEnv)
	}
	specOnce.Do(func() { spec, specErr = compileSpec(dir) })
	if specErr != nil {
		tb.Fatalf("compile OpenLineage spec in %s: %v", dir, specErr)
	}
	return spec
}

func compileSpec(dir string) (*specSchemas, error) {
	files, err := filepath.Glob(filepath.Join(dir, "facets", "*.json"))
	if err != nil {
		return nil, err
	}
	files = append(files, filepath.Join(dir, "OpenLineage.json"))
	c := jsonschema.NewCompiler()
	// "format" is only an annotation in draft 2020-12 unless asserted; the spec relies on it
	// for uri (producer, _schemaURL), uuid (runId) and date-time (eventTime).
	c.AssertFormat()
	var ids []string
	for _, f := range files {
		doc, err := readJSON(f)
		if err != nil {
			return nil, err
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			continue
		}
		// Registering under $id lets the facets' absolute $refs to OpenLineage.json resolve
		// locally: the compiler has no loader for https, so nothing is fetched.
		if err := c.AddResource(id, doc); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	s := &specSchemas{facets: map[string]*jsonschema.Schema{}}
	for _, id := range ids {
		sch, err := c.Compile(id)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(id, "/OpenLineage.json") && !strings.Contains(id, "/facets/") {
			s.event = sch
		} else {
			s.facets[id] = sch
		}
	}
	return s, nil
}

func readJSON(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// validate checks one encoded event against the spec and fails the test if it does not follow it.
func (s *specSchemas) validate(t testing.TB, raw []byte) {
	t.Helper()
	if err := s.check(raw); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
}

// check validates one encoded event against the core schema and each of its facets against the
// facet schema its _schemaURL names. A facet whose schema is not in the spec directory fails: it
// would be a facet nobody checked.
func (s *specSchemas) check(raw []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("event is not JSON: %w", err)
	}
	if err := s.event.Validate(inst); err != nil {
		return fmt.Errorf("event does not follow OpenLineage.json: %w", err)
	}
	for _, facets := range facetMaps(inst) {
		for key, facet := range facets {
			m, _ := facet.(map[string]any)
			url, _ := m["_schemaURL"].(string)
			id, _, _ := strings.Cut(url, "#")
			sch := s.facets[id]
			if sch == nil {
				return fmt.Errorf("facet %q: no schema %q in %s", key, id, os.Getenv(specEnv))
			}
			// A facet file's root schema describes the facets object, {"<key>": facet}.
			if err := sch.Validate(map[string]any{key: facet}); err != nil {
				return fmt.Errorf("facet %q does not follow %s: %w", key, id, err)
			}
		}
	}
	return nil
}

// facetMaps returns every facets object of an event: the job's and each dataset's.
func facetMaps(event any) []map[string]any {
	e := event.(map[string]any)
	var out []map[string]any
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	if job, ok := e["job"].(map[string]any); ok {
		add(job["facets"])
	}
	if run, ok := e["run"].(map[string]any); ok {
		add(run["facets"])
	}
	for _, side := range []string{"inputs", "outputs"} {
		list, _ := e[side].([]any)
		for _, d := range list {
			add(d.(map[string]any)["facets"])
		}
	}
	return out
}

// checkStructure holds without the spec: every facet names Sluice as producer and a schema on
// openlineage.io, every column-lineage input points at a listed input, and encoding is stable.
func checkStructure(t testing.TB, e openlineage.Event) {
	t.Helper()
	raw, err := openlineage.Marshal(e)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	again, _ := openlineage.Marshal(e)
	if !bytes.Equal(raw, again) {
		t.Fatalf("two encodings of one event differ")
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("event is not JSON: %v", err)
	}
	for _, facets := range facetMaps(doc) {
		for key, f := range facets {
			m := f.(map[string]any)
			if m["_producer"] != openlineage.Producer {
				t.Errorf("facet %q: _producer %v", key, m["_producer"])
			}
			if u, _ := m["_schemaURL"].(string); !strings.HasPrefix(u, "https://openlineage.io/spec/") {
				t.Errorf("facet %q: _schemaURL %q", key, u)
			}
		}
	}
	inputs := map[string]bool{}
	for _, d := range e.Inputs {
		inputs[d.Namespace+" "+d.Name] = true
	}
	for _, d := range e.Outputs {
		if d.Facets == nil || d.Facets.ColumnLineage == nil {
			continue
		}
		for col, f := range d.Facets.ColumnLineage.Fields {
			if f.InputFields == nil {
				t.Errorf("%s.%s: inputFields is null", d.Name, col)
			}
			for _, in := range f.InputFields {
				if !inputs[in.Namespace+" "+in.Name] {
					t.Errorf("%s.%s reads %s.%s, which is not among the inputs", d.Name, col, in.Name, in.Field)
				}
			}
		}
	}
}

// TestSpecCatchesInvalid makes sure the schema check can fail: each event here breaks one rule
// of the spec that the builder is meant to keep.
func TestSpecCatchesInvalid(t *testing.T) {
	s := mustSpec(t)
	good, _ := openlineage.Marshal(openlineage.RunEvent(versions["MultiInput"]))
	if err := s.check(good); err != nil {
		t.Fatalf("the unbroken event fails: %v", err)
	}
	for name, breakIt := range map[string]func(e map[string]any){
		"EventTimeNotDateTime": func(e map[string]any) { e["eventTime"] = "2026-03-14 01:26" },
		"RunIDNotUUID":         func(e map[string]any) { e["run"].(map[string]any)["runId"] = "42" },
		"NoProducer":           func(e map[string]any) { delete(e, "producer") },
		"FacetNoSchemaURL": func(e map[string]any) {
			delete(e["job"].(map[string]any)["facets"].(map[string]any)["sql"].(map[string]any), "_schemaURL")
		},
		"SQLNoQuery": func(e map[string]any) {
			delete(e["job"].(map[string]any)["facets"].(map[string]any)["sql"].(map[string]any), "query")
		},
		"InputFieldNoField": func(e map[string]any) {
			lineage := e["outputs"].([]any)[0].(map[string]any)["facets"].(map[string]any)["columnLineage"].(map[string]any)
			in := lineage["fields"].(map[string]any)["shop_name"].(map[string]any)["inputFields"].([]any)[0].(map[string]any)
			delete(in, "field")
		},
		"FacetOfUnknownVersion": func(e map[string]any) {
			sql := e["job"].(map[string]any)["facets"].(map[string]any)["sql"].(map[string]any)
			sql["_schemaURL"] = "https://openlineage.io/spec/facets/9-9-9/SQLJobFacet.json#/$defs/SQLJobFacet"
		},
	} {
		t.Run(name, func(t *testing.T) {
			var e map[string]any
			if err := json.Unmarshal(good, &e); err != nil {
				t.Fatal(err)
			}
			breakIt(e)
			raw, _ := json.Marshal(e)
			if err := s.check(raw); err == nil {
				t.Fatalf("accepted: %s", raw)
			}
		})
	}
}
