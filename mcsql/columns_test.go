package mcsql

import (
	"slices"
	"testing"
)

func TestAddTableColumns(t *testing.T) {
	dst := map[string][]string{}
	err := AddTableColumns(dst, `CREATE TABLE ods (ID BIGINT, Name STRING) PARTITIONED BY (ds STRING);
CREATE TABLE prj.dim (k BIGINT);
CREATE TABLE copy LIKE ods;
CREATE TABLE other.ods (x BIGINT);
SHOW TABLES;`)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][]string{
		"ods":       {"id", "name", "ds"},
		"prj.dim":   {"k"},
		"dim":       {"k"},
		"copy":      {"id", "name", "ds"},
		"other.ods": {"x"}, // the bare name stays the unqualified table's
	} {
		if got := dst[key]; !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if err := AddTableColumns(dst, "CREATE TABLE ("); err == nil {
		t.Error("a syntax error was not reported")
	}
}
