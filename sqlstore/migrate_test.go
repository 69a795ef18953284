package sqlstore_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// The cases here are about the database under the store's interfaces — its migrations and its schema — and
// so are sqlstore's own rather than the store suite's.

// TestMigrations: opening again applies nothing twice and keeps the data, and several servers starting at
// once against one database all succeed.
func TestMigrations(t *testing.T) {
	sqlstore.EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) {
		ctx := context.Background()
		dsn := newDSN(t)
		db, err := sqlstore.Open(ctx, dsn)
		must(t, err)
		u := storetest.Seed(t, db, "alice", sluice.UserMember)
		db.Close()
		db = sqlstore.OpenTest(t, dsn, nil)
		got, err := db.FindUserByName(ctx, "alice")
		must(t, err)
		if got.ID != u.ID {
			t.Fatalf("user id after reopen = %d, want %d", got.ID, u.ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				db, err := sqlstore.Open(ctx, dsn)
				if err == nil {
					err = db.Ping(ctx)
					db.Close()
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
	})
}

// undoSince11 takes back, newest first, what the migrations after 0010 added, for the tests that put a store
// back as an older server left it and let the store migrate it again.
var undoSince11 = []string{"DROP INDEX file_versions_current_prod", "DROP INDEX version_lineage_dev", "DROP INDEX version_lineage_prod",
	"ALTER TABLE version_lineage DROP COLUMN dev_current", "ALTER TABLE version_lineage DROP COLUMN prod_current",
	"DROP TABLE audit_log", "DROP TABLE console_sessions", "DROP TABLE signin_failures", "ALTER TABLE users DROP COLUMN password_hash"}

// TestCatalogLineageBackfill: the migration that brought the catalogue entered every table lineage had named
// before it into the catalogue of its project. The test undoes that migration by hand and applies it again.
func TestCatalogLineageBackfill(t *testing.T) {
	sqlstore.EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) {
		ctx := context.Background()
		dsn := newDSN(t)
		clock := storetest.NewClock(storetest.Start)
		db, err := sqlstore.Open(ctx, dsn)
		must(t, err)
		db.Now = clock.Now
		alice := storetest.Seed(t, db, "alice", sluice.UserMember)
		dev := storetest.NewProject(t, db, "dev", alice)
		sales := storetest.NewProject(t, db, "Sales", alice)
		first := clock.Now()
		for _, r := range [][2]string{
			{"odps.dev.a", "odps.sales.b"},
			{"odps.sales.s1.c", "ODPS.DEV.A"}, // as a caller registered it: the same table as odps.dev.a
			{"odps.none.d", "hive.dev.e"},     // no such project; not a MaxCompute table
			{"odps.dev", "odps.dev.x.y.z"},    // not table guids
		} {
			must(t, db.CreateLineageRelation(ctx, &sluice.LineageRelation{ProjectID: dev.ID, Src: r[0], Dest: r[1], Type: "sql"}))
			clock.Advance(time.Minute)
		}
		db.Close()

		raw := sqlstore.OpenRaw(t, dsn)
		// Back to before migration 7 (and those after it, which the store applies in order again).
		for _, stmt := range append(slices.Clone(undoSince11), "DROP TABLE version_column_lineage", "DROP TABLE package_listing_versions", "DROP TABLE package_installs", "DROP TABLE package_allows",
			"DROP TABLE package_objects", "DROP TABLE packages", "DROP TABLE catalog_functions", "DROP TABLE catalog_tables",
			"DROP INDEX resources_project_name", "DROP INDEX projects_name_lower", "DELETE FROM schema_migrations WHERE version >= 7") {
			if _, err := raw.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		raw.Close()

		db = sqlstore.OpenTest(t, dsn, clock.Now)
		if got, want := catalogTables(t, db, dev.ID), []string{"default.a"}; !slices.Equal(got, want) {
			t.Fatalf("dev's catalogue = %q, want %q", got, want)
		}
		if got, want := catalogTables(t, db, sales.ID), []string{"default.b", "s1.c"}; !slices.Equal(got, want) {
			t.Fatalf("Sales' catalogue = %q, want %q", got, want)
		}
		var a *sluice.CatalogTable
		must(t, db.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
			a, err = tx.FindTable(ctx, dev.ID, sluice.DefaultSchema, "a")
			return err
		}))
		// Seen first at the first relation's time.
		if a.Described || a.Kind != sluice.KindTable || len(a.Columns) != 0 || !a.CreatedAt.Equal(first) || !a.UpdatedAt.Equal(first) {
			t.Fatalf("backfilled = %+v, want undescribed, made and updated at %v", a, first)
		}
	})
}

// TestUserDeleteCascades: the store has no user deletion yet; the schema must still not leave a deleted user's
// console sessions behind.
func TestUserDeleteCascades(t *testing.T) {
	sqlstore.EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) {
		ctx := context.Background()
		dsn := newDSN(t)
		db := sqlstore.OpenTest(t, dsn, nil)
		carol := storetest.Seed(t, db, "carol", sluice.UserMember)
		must(t, db.CreateSession(ctx, &sluice.Session{ID: "c1", UserID: carol.ID, ExpiresAt: storetest.Start.Add(time.Hour)}))
		raw := sqlstore.OpenRaw(t, dsn)
		q := "DELETE FROM users WHERE id = ?"
		if db.Dialect() == sqlstore.Postgres {
			q = "DELETE FROM users WHERE id = $1"
		}
		_, err := raw.ExecContext(ctx, q, carol.ID)
		must(t, err)
		_, err = db.FindSession(ctx, "c1", storetest.Start)
		if sluice.ErrorCode(err) != sluice.ENOTFOUND {
			t.Fatalf("a deleted user's session: %v, want ENOTFOUND", err)
		}
	})
}

// catalogTables names the tables of a project's catalogue, schema.name, in the order the store lists them.
func catalogTables(t *testing.T, db *sqlstore.DB, projectID int64) []string {
	t.Helper()
	var names []string
	must(t, db.ReadCatalog(context.Background(), func(tx sluice.CatalogTx) error {
		ts, err := tx.FindTables(context.Background(), sluice.TableFilter{ProjectID: projectID})
		for _, tbl := range ts {
			names = append(names, tbl.Schema+"."+tbl.Name)
		}
		return err
	}))
	return names
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
