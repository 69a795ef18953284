package sqlstore_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
	"github.com/sluice-dev/sluice/storetest"
)

// Code inside a read transaction also reads through the pool (the core authorises a catalogue statement's
// objects as it meets them). With as many transactions open as the pool allows, each making such a read,
// every read must still run: before the pool kept a connection free of transactions, SQLite's eight
// readers were all held by catalogue reads waiting for a ninth connection, and the server stopped
// answering until its clients gave up (found by the soak, bench/soak).
func TestNestedReadsInOpenTransactions(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testNestedReads(t, filepath.Join(t.TempDir(), "tx.db"))
	})
	t.Run("Postgres", func(t *testing.T) {
		testNestedReads(t, storetest.PostgresDSN(t)(t))
	})
}

func testNestedReads(t *testing.T, dsn string) {
	db, err := sqlstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The deadline turns a deadlock into failed reads instead of a test that never ends.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	open := sqlstore.ReadTxSlots(db)
	entered := make(chan struct{}, open+4)
	release := make(chan struct{})
	errs := make(chan error, open+4)
	var wg sync.WaitGroup
	for range open + 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.ReadCatalog(ctx, func(sluice.CatalogTx) error {
				entered <- struct{}{}
				<-release
				_, err := db.FindProject(ctx, sluice.ProjectByName("nowhere"))
				if sluice.ErrorCode(err) == sluice.ENOTFOUND {
					return nil // the read ran
				}
				return err
			})
		}()
	}
	// As many transactions as the pool allows are open, all about to read outside themselves.
	for range open {
		<-entered
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a read inside a transaction: %v", err)
		}
	}
}
