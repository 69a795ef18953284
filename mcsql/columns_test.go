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

func TestAddTableLabels(t *testing.T) {
	l := Labels{}
	err := AddTableLabels(l, `CREATE TABLE crm.users (id BIGINT, phone STRING, email STRING);
SET LABEL 3 TO TABLE crm.users (Phone, email);
SET LABEL 1 TO TABLE crm.users;
SET LABEL 2 TO TABLE crm.users (email);
SET LABEL 4 TO TABLE other.users (id);
SET LABEL 5 TO TABLE ods;`)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{
		"crm.users.phone":  3,
		"crm.users.email":  2, // the later statement stands
		"crm.users.id":     1, // the table's label
		"users.phone":      3, // the bare name is the first table's
		"other.users.id":   4,
		"other.users.name": 0,
		"prj.ods.x":        5, // a qualified name finds labels given under the bare one
		"dim.x":            0,
		"nodot":            0,
	} {
		if got := l.Column(name); got != want {
			t.Errorf("%s: label %d, want %d", name, got, want)
		}
	}
	if err := AddTableLabels(l, "SET LABEL TO ("); err == nil {
		t.Error("a syntax error was not reported")
	}
}
