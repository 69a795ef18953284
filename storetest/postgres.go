package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

var schemaSeq atomic.Int64

// PostgresDSN returns a NewDSN that gives each test a fresh PostgreSQL schema, dropped when the test ends.
// It needs SLUICE_TEST_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable);
// without it the test skips, except in CI (CI set), where PostgreSQL is mandatory and the test fails.
func PostgresDSN(t testing.TB) NewDSN {
	base := os.Getenv("SLUICE_TEST_POSTGRES_DSN")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SLUICE_TEST_POSTGRES_DSN is not set; the PostgreSQL tests are mandatory in CI")
		}
		t.Skip("SLUICE_TEST_POSTGRES_DSN is not set: skipping the PostgreSQL tests (see .ci/run)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.PingContext(context.Background()); err != nil {
		t.Fatalf("PostgreSQL at SLUICE_TEST_POSTGRES_DSN is not reachable: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	return func(t testing.TB) string {
		schema := fmt.Sprintf("t%d_%d", time.Now().UnixNano()%1e9, schemaSeq.Add(1))
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
}

// EachDatabase runs f as a subtest on a fresh database of each kind: "SQLite", a file in a temporary directory,
// and "Postgres", a schema of its own (PostgresDSN: skipped without SLUICE_TEST_POSTGRES_DSN, except in CI).
// For tests of programs that write their own SQL, such as the benchmarks' loaders.
func EachDatabase(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("SQLite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "sluice.db")) })
	t.Run("Postgres", func(t *testing.T) { f(t, PostgresDSN(t)(t)) })
}
