package core_test

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkCatalog_FindPackages: ListPackages' core call over 10,000 packages (docs/performance.md compares
// it with the same call through the server).
func BenchmarkCatalog_FindPackages(b *testing.B) {
	c := newCatalogFixture(b)
	var s strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&s, "create package p%05d;\n", i)
	}
	if _, err := c.s.RunSQL(c.alice, c.src, s.String()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		l, err := c.s.FindPackages(c.vera, c.src)
		if err != nil || len(l.Created) != 10000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCatalog_FindPackage: GetPackage's core call for a package of 1,000 tables.
func BenchmarkCatalog_FindPackage(b *testing.B) {
	c := newCatalogFixture(b)
	var s strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&s, "create table t%04d (a bigint);\n", i)
	}
	s.WriteString("create package big;\n")
	for i := range 1000 {
		fmt.Fprintf(&s, "add table t%04d to package big;\n", i)
	}
	if _, err := c.s.RunSQL(c.alice, c.src, s.String()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := c.s.FindPackage(c.vera, c.src, "big", "")
		if err != nil || len(p.Objects) != 1000 {
			b.Fatal(err)
		}
	}
}
