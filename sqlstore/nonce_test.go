package sqlstore_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// The batch of nonces travels to the database as one argument (JSON on SQLite, arrays on PostgreSQL), so
// keys with quotes, backslashes, control characters and non-ASCII letters must come back exactly as sent,
// alone and in concurrent batches mixed with each other's repeats.
func TestUseNonceKeys(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testUseNonceKeys(t, filepath.Join(t.TempDir(), "n.db"))
	})
	t.Run("Postgres", func(t *testing.T) {
		testUseNonceKeys(t, storetest.PostgresDSN(t)(t))
	})
}

func testUseNonceKeys(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys := []string{`acs:AK:"quoted"`, `acs:AK:back\slash`, "acs:AK:tab\tnew\nline", "acs:AK:ünïcødé-名前", "acs:AK:[1,2]", "acs:AK:"}
	expires := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	fresh := make([][4]bool, len(keys))
	for i, k := range keys {
		for j := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.UseNonce(ctx, k, expires)
				if err != nil {
					t.Error(err)
				}
				fresh[i][j] = ok
			}()
		}
	}
	wg.Wait()
	for i, k := range keys {
		n := 0
		for _, ok := range fresh[i] {
			if ok {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q: accepted %d times of 4, want once", k, n)
		}
		if ok, err := db.UseNonce(ctx, k, expires); err != nil || ok {
			t.Errorf("%q used again: fresh %v, %v", k, ok, err)
		}
	}
}
