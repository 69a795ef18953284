package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sluice-dev/sluice/storetest"
)

// TestSmallRun generates a small estate on each database and runs the benchmark's reads and writes on it: the
// generator writes rows with its own SQL, so a change to the schema it does not follow must fail here, not on
// the day of a long run. run checks every TotalCount against the generator's exact counts.
func TestSmallRun(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "files.db") }},
		{"Postgres", func(t *testing.T) string { return storetest.PostgresDSN(t)(t) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dsn, meta := db.dsn(t), filepath.Join(t.TempDir(), "meta.json")
			if err := generate(ctx, dsn, 3000, 2, meta); err != nil {
				t.Fatal(err)
			}
			if err := run(ctx, dsn, meta, 3, db.name, serverClient{}); err != nil {
				t.Fatal(err)
			}
			if err := writes(ctx, dsn, meta, 3, db.name); err != nil {
				t.Fatal(err)
			}
		})
	}
}
