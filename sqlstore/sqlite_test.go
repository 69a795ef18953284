package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/sluice-dev/sluice/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "sluice.db")
	})
}
