package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/storetest"
)

// TestPostgres runs the suite on PostgreSQL, each test in a schema of its own. It needs
// SLUICE_TEST_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/sluice_test?sslmode=disable); without it the
// test skips locally and fails in CI (CI=true), where PostgreSQL is mandatory.
func TestPostgres(t *testing.T) {
	storetest.Run(t, PostgresDSN(t))
}

var schemaSeq atomic.Int64

// PostgresDSN returns a storetest.NewDSN that gives each test a fresh schema, dropped when the test ends.
func PostgresDSN(t *testing.T) storetest.NewDSN {
	base := os.Getenv("SLUICE_TEST_POSTGRES_DSN")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SLUICE_TEST_POSTGRES_DSN is not set; the PostgreSQL suite is mandatory in CI")
		}
		t.Skip("SLUICE_TEST_POSTGRES_DSN is not set: skipping the PostgreSQL suite (see .ci/run)")
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
		return strings.TrimSpace(u.String())
	}
}
