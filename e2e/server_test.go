package e2e

import (
	"os"
	"testing"

	"github.com/sluice-dev/sluice/sluicetest"
	"github.com/sluice-dev/sluice/storetest"
)

// newServer starts an embedded server for one test: on SQLite, or on PostgreSQL (a fresh schema) when
// SLUICE_E2E_DATABASE=postgres. CI runs the end-to-end tests both ways.
func newServer(t *testing.T, opts ...sluicetest.Options) *sluicetest.Server {
	t.Helper()
	var o sluicetest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if os.Getenv("SLUICE_E2E_DATABASE") == "postgres" && o.Database == "" {
		o.Database = storetest.PostgresDSN(t)(t)
	}
	return sluicetest.NewServer(t, o)
}
