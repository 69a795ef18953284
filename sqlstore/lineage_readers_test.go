package sqlstore_test

import (
	"path/filepath"
	"testing"

	"github.com/sluice-dev/sluice/storetest"
)

func TestLineageReaders(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		storetest.LineageReaders(t, func(t testing.TB) string { return filepath.Join(t.TempDir(), "sluice.db") })
	})
	t.Run("Postgres", func(t *testing.T) {
		storetest.LineageReaders(t, storetest.PostgresDSN(t))
	})
}
