package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/storetest"
)

// Opener is the store suite's constructor over the databases newDSN makes: each test gets an empty store on
// the suite's clock.
func Opener(newDSN storetest.NewDSN) storetest.Open {
	return func(t testing.TB, now func() time.Time) storetest.Store { return OpenTest(t, newDSN(t), now) }
}

// OpenTest opens the database at dsn with the clock now (nil: time.Now), and closes it when the test ends.
func OpenTest(t testing.TB, dsn string, now func() time.Time) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	if now != nil {
		db.Now = now
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLiteDSN gives each test a database file in a directory of its own.
func SQLiteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "sluice.db") }

// EachDatabase runs fn on SQLite and on PostgreSQL (see storetest.PostgresDSN for when that is skipped).
func EachDatabase(t *testing.T, fn func(t *testing.T, newDSN storetest.NewDSN)) {
	t.Run("SQLite", func(t *testing.T) { fn(t, SQLiteDSN) })
	t.Run("Postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// OpenRaw opens a plain connection to the database at dsn, beside the store, for what a test must do or see
// under the store's interfaces: its schema, its rows. It is closed when the test ends.
func OpenRaw(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver, raw := "pgx", dsn
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		driver, raw = "sqlite", "file:"+dsn+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"
	}
	conn, err := sql.Open(driver, raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
