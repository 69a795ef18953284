package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLineageColumnsLabels: labels declared in --schema DDL follow the data through every script given, in
// both outputs; without labels the report is the spec's, key for key.
func TestLineageColumnsLabels(t *testing.T) {
	dir := t.TempDir()
	ddl := filepath.Join(dir, "schema.ddl")
	os.WriteFile(ddl, []byte(`CREATE TABLE crm.users (id BIGINT, phone STRING, city STRING);
CREATE TABLE dws_users (id BIGINT, phone STRING, city STRING);
CREATE TABLE ads_contacts (uid BIGINT, contact STRING);
SET LABEL 3 TO TABLE crm.users (phone);
SET LABEL 1 TO TABLE dws_users (city);
SET LABEL 2 TO TABLE ads_contacts (uid);
`), 0o644)
	dws, ads := filepath.Join(dir, "dws.sql"), filepath.Join(dir, "ads.sql")
	os.WriteFile(dws, []byte("INSERT OVERWRITE TABLE dws_users SELECT id, phone, city FROM crm.users;\n"), 0o644)
	os.WriteFile(ads, []byte("INSERT OVERWRITE TABLE ads_contacts SELECT id, concat(city, phone) FROM dws_users;\n"), 0o644)

	out, _, err := execute(t, "lineage", "--columns", "--schema", ddl, dws, ads)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got map[string]struct {
		Columns []struct {
			Target        string   `json:"target"`
			Sources       []string `json:"sources"`
			Kind          string   `json:"kind"`
			DeclaredLabel *int     `json:"declaredLabel"`
			Label         *int     `json:"label"`
			LabelSource   string   `json:"labelSource"`
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	labels := map[string]string{}
	for _, f := range got {
		for _, c := range f.Columns {
			if c.Sources == nil || c.Kind == "" {
				t.Errorf("%s: the spec's keys are missing\n%s", c.Target, out)
			}
			labels[c.Target] = "-"
			if c.Label != nil {
				labels[c.Target] = strings.TrimSpace(fmt.Sprintf("%d %d %s", *c.DeclaredLabel, *c.Label, c.LabelSource))
			}
		}
	}
	for target, want := range map[string]string{
		"dws_users.id":         "-",                   // no label anywhere upstream: no label keys
		"dws_users.phone":      "0 3 crm.users.phone", // derived, one hop
		"dws_users.city":       "1 1",                 // its own label
		"ads_contacts.uid":     "2 2",                 // its own label; its source has none
		"ads_contacts.contact": "0 3 crm.users.phone", // derived through dws_users, over city's 1
	} {
		if labels[target] != want {
			t.Errorf("%s: labels %q, want %q\n%s", target, labels[target], want, out)
		}
	}

	out, _, err = execute(t, "lineage", "--columns", "-o", "table", "--schema", ddl, dws, ads)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"LABEL", "3 from crm.users.phone (declared 0)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}

	// Without labels in the DDL neither output changes: no LABEL column, no label keys.
	plain := filepath.Join(dir, "plain.ddl")
	os.WriteFile(plain, []byte("CREATE TABLE dws_users (id BIGINT, phone STRING, city STRING);\n"), 0o644)
	out, _, err = execute(t, "lineage", "--columns", "--schema", plain, dws)
	if err != nil || strings.Contains(out, "abel") {
		t.Errorf("without labels: %v\n%s", err, out)
	}
	out, _, err = execute(t, "lineage", "--columns", "-o", "table", "--schema", plain, dws)
	if err != nil || strings.Contains(out, "LABEL") {
		t.Errorf("without labels, table: %v\n%s", err, out)
	}
}
