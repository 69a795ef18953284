package sqlstore_test

import (
	"context"
	"database/sql"
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
	sqlstore.EachDatabase(t, func(t *testing.T, newDSN storetest.NewDSN) { testUseNonceKeys(t, newDSN(t)) })
}

func testUseNonceKeys(t *testing.T, dsn string) {
	ctx := context.Background()
	db := sqlstore.OpenTest(t, dsn, nil)
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

// A nonce recorded by a server that kept nonces in the main SQLite file is still refused after an upgrade
// to the nonce file, and one recorded in the nonce file is refused after a reopen.
func TestUseNonceAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	expires := time.Now().Add(time.Hour)
	if ok, err := db.UseNonce(ctx, "acs:AK:new", expires); err != nil || !ok {
		t.Fatalf("UseNonce = %v, %v", ok, err)
	}
	db.Close()
	// What an older server left: a nonce in the main file's table.
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec("INSERT INTO nonces (key, expires_at) VALUES ('acs:AK:old', ?), ('acs:AK:gone', 1)", expires.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err = sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for key, want := range map[string]bool{"acs:AK:new": false, "acs:AK:old": false, "acs:AK:gone": true} {
		if ok, err := db.UseNonce(ctx, key, expires); err != nil || ok != want {
			t.Errorf("UseNonce(%s) = %v, %v; want %v", key, ok, err, want)
		}
	}
	if n, err := db.PurgeNonces(ctx, expires.Add(time.Minute)); err != nil || n != 3 {
		t.Errorf("PurgeNonces = %d, %v; want 3", n, err)
	}
}
