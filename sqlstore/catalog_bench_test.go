package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// catalogBenchDBs opens the benchmark's databases: SQLite, and PostgreSQL when SLUICE_TEST_POSTGRES_DSN is set.
func catalogBenchDBs(b *testing.B) map[string]func(b *testing.B) *sqlstore.DB {
	return map[string]func(b *testing.B) *sqlstore.DB{
		"sqlite": func(b *testing.B) *sqlstore.DB {
			db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(b *testing.B) *sqlstore.DB {
			dsn := storetest.PostgresDSN(b)(b)
			db, err := sqlstore.Open(context.Background(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			postgresDSNs[db] = dsn
			return db
		},
	}
}

// postgresDSNs are the addresses of the PostgreSQL stores the benchmarks opened, for analyze.
var postgresDSNs = map[*sqlstore.DB]string{}

// analyze refreshes the planner's statistics (and PostgreSQL's visibility map, which index-only scans need)
// after a bulk load, as a server's own Optimize does on SQLite and autovacuum does on PostgreSQL, but only a
// minute or more later.
func analyze(b *testing.B, db *sqlstore.DB) {
	ctx := context.Background()
	if err := db.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	dsn, ok := postgresDSNs[db]
	if !ok {
		return
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// benchProjects creates n projects named prefix0...
func benchProjects(b testing.TB, db *sqlstore.DB, prefix string, n int) []*sluice.Project {
	ctx := context.Background()
	a, err := db.FindAccountByName(ctx, "a")
	if err != nil {
		a = &sluice.Account{Name: "a"}
		if err := db.CreateAccount(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	u, err := db.FindUserByName(ctx, "u")
	if err != nil {
		u = &sluice.User{AccountID: a.ID, Name: "u", Role: sluice.UserMember}
		if err := db.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	ps := make([]*sluice.Project, n)
	for i := range ps {
		name := prefix + strconv.Itoa(i)
		ps[i] = &sluice.Project{Name: name, UUID: name, AccountID: a.ID, OwnerID: u.ID}
		if err := db.CreateProject(ctx, ps[i], &sluice.Member{UserID: u.ID, Role: sluice.RoleOwner}); err != nil {
			b.Fatal(err)
		}
	}
	return ps
}

// timed runs op b.N times and reports the 50th and 99th percentiles of its latency beside the mean.
func timed(b *testing.B, op func(i int) error) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkCatalogTables pages through a catalogue of 100,000 tables of eight columns (one in a hundred a
// view): the next page by marker, a page by prefix, and the views alone.
func BenchmarkCatalogTables(b *testing.B) {
	const tables = 100_000
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db := catalogBenchDBs(b)[name](b)
			p := benchProjects(b, db, "proj", 1)[0]
			cols := make([]sluice.Column, 8)
			for i := range cols {
				cols[i] = sluice.Column{Name: "column_" + strconv.Itoa(i), Type: "string", Comment: "what column " + strconv.Itoa(i) + " holds"}
			}
			start := time.Now()
			err := db.UpdateCatalog(ctx, []int64{p.ID}, func(tx sluice.CatalogTx) error {
				for i := range tables {
					kind := sluice.KindTable
					if i%100 == 0 {
						kind = sluice.KindView
					}
					t := &sluice.CatalogTable{ProjectID: p.ID, Schema: sluice.DefaultSchema, Name: fmt.Sprintf("dwd_sales_%06d", i),
						Kind: kind, Described: true, Columns: cols, PartitionColumns: []sluice.Column{{Name: "ds", Type: "string"}}, Owner: "u"}
					if err := tx.PutTable(ctx, t); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d tables put in %v", name, tables, time.Since(start).Round(time.Millisecond))
			analyze(b, db)

			for _, limit := range []int{100, 1000} {
				b.Run(fmt.Sprintf("next-page-%d", limit), func(b *testing.B) {
					after := ""
					timed(b, func(int) error {
						var page []*sluice.CatalogTable
						err := db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
							var err error
							page, err = tx.FindTables(ctx, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, After: after, Limit: limit})
							return err
						})
						if err != nil {
							return err
						}
						if after = ""; len(page) == limit {
							after = page[limit-1].Name // from the end, start again
						}
						return nil
					})
				})
			}
			b.Run("prefix-page-100", func(b *testing.B) {
				timed(b, func(i int) error {
					return db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
						page, err := tx.FindTables(ctx, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema,
							Prefix: fmt.Sprintf("dwd_sales_0%02d", i%100), Limit: 100})
						if err == nil && len(page) != 100 {
							err = fmt.Errorf("prefix page of %d", len(page))
						}
						return err
					})
				})
			})
			b.Run("views-page-100", func(b *testing.B) {
				timed(b, func(int) error {
					return db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
						page, err := tx.FindTables(ctx, sluice.TableFilter{ProjectID: p.ID, Schema: sluice.DefaultSchema, Kind: sluice.KindView,
							After: "dwd_sales_050000", Limit: 100})
						if err == nil && len(page) != 100 {
							err = fmt.Errorf("views page of %d", len(page))
						}
						return err
					})
				})
			})
		})
	}
}

// BenchmarkCatalogPackages lists a project's 10,000 packages, describes a package of 1,000 objects allowed to
// 50 projects, and finds what a consumer's 100 installed packages grant on one table.
func BenchmarkCatalogPackages(b *testing.B) {
	const packages, objects, consumers = 10_000, 1_000, 50
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db := catalogBenchDBs(b)[name](b)
			src := benchProjects(b, db, "src", 1)[0]
			cs := benchProjects(b, db, "consumer", consumers)
			start := time.Now()
			var big *sluice.Package
			err := db.UpdateCatalog(ctx, []int64{src.ID}, func(tx sluice.CatalogTx) error {
				for i := range packages {
					p := &sluice.Package{ProjectID: src.ID, Name: fmt.Sprintf("Share_%05d", i),
						Objects: []sluice.PackageObject{{Type: sluice.ObjectTable, Schema: sluice.DefaultSchema, Name: "orders",
							Actions: []string{"describe", "select"}}}}
					if i < 100 {
						p.Allowed = []sluice.PackageAllow{{ProjectID: cs[0].ID, Label: i % 10}}
					}
					if err := tx.CreatePackage(ctx, p); err != nil {
						return err
					}
					if i == packages/2 {
						big = p
					}
				}
				for i := 1; i < objects; i++ {
					o := sluice.PackageObject{Type: sluice.ObjectTable, Schema: sluice.DefaultSchema, Name: fmt.Sprintf("ods_table_%04d", i),
						Actions: []string{"describe", "select"}}
					if err := tx.AddPackageObject(ctx, big.ID, o); err != nil {
						return err
					}
				}
				for _, c := range cs {
					if err := tx.PutPackageAllow(ctx, big.ID, sluice.PackageAllow{ProjectID: c.ID, Label: 1}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			err = db.UpdateCatalog(ctx, []int64{cs[0].ID}, func(tx sluice.CatalogTx) error {
				ps, err := tx.FindPackages(ctx, src.ID)
				if err != nil {
					return err
				}
				for _, p := range ps[:100] {
					if err := tx.CreateInstall(ctx, &sluice.PackageInstall{PackageID: p.ID, ProjectID: cs[0].ID}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d packages, one of %d objects, put in %v", name, packages, objects, time.Since(start).Round(time.Millisecond))
			analyze(b, db)

			b.Run("find-packages-10000", func(b *testing.B) {
				timed(b, func(int) error {
					return db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
						ps, err := tx.FindPackages(ctx, src.ID)
						if err == nil && len(ps) != packages {
							err = fmt.Errorf("%d packages", len(ps))
						}
						return err
					})
				})
			})
			b.Run("find-package-1000-objects", func(b *testing.B) {
				timed(b, func(int) error {
					return db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
						p, err := tx.FindPackage(ctx, src.ID, big.Name)
						if err == nil && (len(p.Objects) != objects || len(p.Allowed) != consumers) {
							err = fmt.Errorf("%d objects, %d allowed", len(p.Objects), len(p.Allowed))
						}
						return err
					})
				})
			})
			b.Run("find-grants-100-installs", func(b *testing.B) {
				timed(b, func(int) error {
					return db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
						gs, err := tx.FindGrants(ctx, []int64{cs[0].ID, cs[1].ID}, src.ID, sluice.ObjectTable, sluice.DefaultSchema, "orders")
						if err == nil && len(gs) != 100 {
							err = fmt.Errorf("%d grants", len(gs))
						}
						return err
					})
				})
			})
		})
	}
}
