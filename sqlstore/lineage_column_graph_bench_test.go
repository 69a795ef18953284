package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// columnGraphHops is the depth of the benchmarked walks: ten column hops, each column fed by two others.
const columnGraphHops = 10

// openColumnBench opens a fresh store of the dialect name and a plain connection to its database for bulk loads.
func openColumnBench(b *testing.B, name string) (*sqlstore.DB, *sql.DB) {
	ctx := context.Background()
	var dsn, driver, rawDSN string
	if name == "sqlite" {
		dsn = filepath.Join(b.TempDir(), "b.db")
		driver, rawDSN = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=synchronous(OFF)"
	} else {
		dsn = storetest.PostgresDSN(b)(b)
		driver, rawDSN = "pgx", dsn
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close(); db.Close() })
	raw.SetMaxOpenConns(1)
	return db, raw
}

// loadColumnVersions gives the generated files (loadColumnLineage: versions 1 and 2, the DEV node running 2)
// their file_versions rows, version v committed at v seconds past the epoch, so that a graph as of 1.5 s
// counts every file's version 1.
func loadColumnVersions(b *testing.B, raw *sql.DB, dialect sqlstore.Dialect, projectID int64, files int) {
	series := fmt.Sprintf("generate_series(1, %d) AS f, generate_series(1, 2) AS v", files)
	if dialect != sqlstore.Postgres {
		series = fmt.Sprintf("(WITH RECURSIVE s(f) AS (SELECT 1 UNION ALL SELECT f + 1 FROM s WHERE f < %d) SELECT f FROM s),"+
			" (SELECT 1 AS v UNION ALL SELECT 2)", files)
	}
	q := fmt.Sprintf(`INSERT INTO file_versions (project_id, file_id, version, name, content, property_content, node_content, node_id,
			commit_user, commit_time, comment, change_type, status, is_current_prod, use_type)
		SELECT %d, f, v, 'n' || f, '', '{}', '{}', f, 'u', v * 1000, '', CASE WHEN v = 1 THEN 'CREATE' ELSE 'UPDATE' END,
			'COMMITTED', FALSE, 'NORMAL' FROM %s`, projectID, series)
	if _, err := raw.ExecContext(context.Background(), q); err != nil {
		b.Fatalf("%v\n%s", err, q)
	}
	if _, err := raw.ExecContext(context.Background(), "ANALYZE file_versions"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkColumnGraph measures FindColumnGraph over the column lineage of BenchmarkColumnLineage (default
// 1,000,000 edges; SLUICE_BENCH_COLUMN_EDGES): ten hops upstream from a random column, each column made from
// two others (about 2,000 columns), through current versions and as of a time; ten hops downstream, where a
// column feeds two others on average (and some none); and the walk the labels take, every column of a random
// table upstream to the maximum depth, which the maximum node limit (10,000) cuts short.
func BenchmarkColumnGraph(b *testing.B) {
	edges := columnBenchEdges(b)
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db, raw := openColumnBench(b, name)
			p := benchProjects(b, db, "p", 1)[0]
			files := loadColumnLineage(b, raw, db.Dialect(), p.ID, edges)
			loadColumnVersions(b, raw, db.Dialect(), p.ID, files)
			ids := []int64{p.ID}
			rng := rand.New(rand.NewPCG(3, 4))
			column := func() string {
				return fmt.Sprintf("odps.p.t%07d.c%02d", rng.IntN(files), rng.IntN(columnsPerTable))
			}
			var nodes, edges int
			// walk finds a graph of at least least nodes, cut short by the limit only when truncated says so.
			walk := func(q sluice.ColumnGraphQuery, least int, truncated bool) error {
				q.Limit, q.ProjectIDs = sluice.MaxGraphLimit, ids
				g, err := db.FindColumnGraph(ctx, q)
				if err == nil && (g.Truncated != truncated || len(g.Nodes) < least) {
					err = fmt.Errorf("%v: %d nodes, truncated %v", q.Guids, len(g.Nodes), g.Truncated)
				}
				if err == nil {
					nodes, edges = nodes+len(g.Nodes), edges+len(g.Edges)
				}
				return err
			}
			report := func(b *testing.B) {
				b.ReportMetric(float64(nodes)/float64(b.N), "nodes")
				b.ReportMetric(float64(edges)/float64(b.N), "edges")
				nodes, edges = 0, 0
			}
			b.Run("up-10-hops", func(b *testing.B) {
				timed(b, func(int) error {
					return walk(sluice.ColumnGraphQuery{Guids: []string{column()}, Direction: sluice.Upstream, Depth: columnGraphHops}, 1000, false)
				})
				report(b)
			})
			b.Run("up-10-hops-as-of", func(b *testing.B) {
				at := time.UnixMilli(1500)
				timed(b, func(int) error {
					return walk(sluice.ColumnGraphQuery{Guids: []string{column()}, Direction: sluice.Upstream, Depth: columnGraphHops, AsOf: at}, 1000, false)
				})
				report(b)
			})
			b.Run("down-10-hops", func(b *testing.B) {
				timed(b, func(int) error {
					return walk(sluice.ColumnGraphQuery{Guids: []string{column()}, Direction: sluice.Downstream, Depth: columnGraphHops}, 1, false)
				})
				report(b)
			})
			b.Run("table-up-to-limit", func(b *testing.B) {
				timed(b, func(int) error {
					t := rng.IntN(files)
					guids := make([]string, columnsPerTable)
					for k := range guids {
						guids[k] = fmt.Sprintf("odps.p.t%07d.c%02d", t, k)
					}
					return walk(sluice.ColumnGraphQuery{Guids: guids, Direction: sluice.Upstream, Depth: sluice.MaxGraphDepth}, sluice.MaxGraphLimit, true)
				})
				report(b)
			})
		})
	}
}
