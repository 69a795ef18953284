package sqlstore_test

import (
	"testing"

	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, sqlstore.Opener(sqlstore.SQLiteDSN))
}
