package sqlstore_test

import (
	"testing"

	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// TestPostgres runs the suite on PostgreSQL, each test in a schema of its own (see storetest.PostgresDSN).
func TestPostgres(t *testing.T) {
	storetest.Run(t, sqlstore.Opener(storetest.PostgresDSN(t)))
}
