package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

func TestKeywordTrigrams(t *testing.T) {
	docs := map[string]int{"cre": 25, "red": 25, "edi": 25, "dit": 25, "_sn": 3, "sna": 25, "nap": 25, "t_s": 4, "it_": 25}
	tests := []struct {
		kw    string
		docs  map[string]int
		query string
		bound int
	}{
		// Without counts: every third trigram and the last.
		{"credit_snap", nil, `"cre" AND "dit" AND "_sn" AND "nap"`, -1},
		{"CREDIT", nil, `"cre" AND "dit"`, -1},
		// With counts: the rarest first, then the rarest that do not overlap it; unknown trigrams are rarest.
		{"credit_snap", docs, `"_sn" AND "cre" AND "dit"`, 3},
		{"credit_snaq", docs, `"naq" AND "t_s" AND "cre"`, 0},
	}
	for _, tt := range tests {
		q, b := keywordTrigrams(tt.kw, tt.docs)
		if q != tt.query || b != tt.bound {
			t.Errorf("keywordTrigrams(%q) = %s, %d; want %s, %d", tt.kw, q, b, tt.query, tt.bound)
		}
	}
}

func TestRarestGram(t *testing.T) {
	docs := map[string]int{"cre": 25, "red": 25, "edi": 25, "dit": 25, "_sn": 3, "sna": 25, "nap": 25, "t_s": 4, "it_": 25}
	for _, tt := range []struct {
		kw   string
		docs map[string]int
		want int
	}{
		{"credit_snap", nil, 1},  // without counts: the first
		{"credit_snap", docs, 7}, // "_sn"
		{"CREDIT_SNAP", docs, 7}, // counts are of lowered trigrams
		{"credit_snaq", docs, 9}, // "naq", unknown: rarest
		{"ds_", docs, 1},
	} {
		if got := rarestGram(tt.kw, tt.docs); got != tt.want {
			t.Errorf("rarestGram(%q) = %d, want %d", tt.kw, got, tt.want)
		}
	}
}

// TestFindFilesWithTrigramCounts checks that keyword answers are the same whether or not trigram counts
// are loaded, and however stale they are, and on PostgreSQL whether or not the trigram totals are compacted.
func TestFindFilesWithTrigramCounts(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testTrigramCounts(t, filepath.Join(t.TempDir(), "s.db")) })
	t.Run("PostgreSQL", func(t *testing.T) {
		base := os.Getenv("SLUICE_TEST_POSTGRES_DSN")
		if base == "" {
			t.Skip("SLUICE_TEST_POSTGRES_DSN is not set")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		schema := fmt.Sprintf("trigram_counts_%d", time.Now().UnixNano())
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		testTrigramCounts(t, u.String())
	})
}

func testTrigramCounts(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &sluice.Account{Name: "a"}
	u := &sluice.User{Name: "u", Role: sluice.UserMember}
	p := &sluice.Project{Name: "p1", UUID: "0123456789abcdef0123456789abcdef"}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	u.AccountID = a.ID
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	p.AccountID, p.OwnerID = a.ID, u.ID
	if err := db.CreateProject(ctx, p, &sluice.Member{UserID: u.ID, Role: sluice.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	words := []string{"credit", "snapshot", "order", "trade", "summary"}
	for i := 0; i < 200; i++ {
		name := fmt.Sprintf("dwd_%s_%s_%d_di", words[i%5], words[(i/5)%5], i)
		if err := db.CreateFile(ctx, &sluice.File{ProjectID: p.ID, Name: name, Type: 10, UseType: sluice.UseNormal, ParentID: -1}); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, kw := range []string{"credit_snap", "order_trade_1", "_summary_", "redit", "shot_cre", "_di", "nothing_here"} {
			_, n, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: p.ID, Keyword: kw, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			out[kw] = n
		}
		return out
	}
	// Keep the background load from starting, so the first pass really plans without counts.
	db.trigrams.loading.Store(true)
	without := counts()
	if db.trigramDocs() != nil {
		t.Fatal("counts were loaded during the first pass")
	}
	db.trigrams.loading.Store(false)
	if db.dialect == Postgres { // the counts are ANALYZE's
		if _, err := db.w.ExecContext(ctx, "ANALYZE file_grams"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.loadTrigramDocs(ctx); err != nil {
		t.Fatal(err)
	}
	if db.dialect == Postgres && db.trigramDocs()["_di"] == 0 {
		t.Fatalf("no count for _di in %v", db.trigramDocs())
	}
	// A file added after the counts were read still matches.
	if err := db.CreateFile(ctx, &sluice.File{ProjectID: p.ID, Name: "zz_credit_snapqq", Type: 10, UseType: sluice.UseNormal, ParentID: -1}); err != nil {
		t.Fatal(err)
	}
	without["credit_snap"]++
	without["redit"]++
	with := counts()
	if fmt.Sprint(with) != fmt.Sprint(without) {
		t.Fatalf("with counts %v, without %v", with, without)
	}
	if without["credit_snap"] != 9 || without["_di"] != 200 || without["nothing_here"] != 0 {
		t.Fatalf("counts %v", without)
	}
	if db.dialect != Postgres {
		return
	}
	// Compacting the trigram totals (deltas of 201 statements, unless a count compacted them already)
	// changes no answer and leaves one row per trigram.
	if err := db.CompactKeywordCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if after := counts(); fmt.Sprint(after) != fmt.Sprint(without) {
		t.Fatalf("after compaction %v, before %v", after, without)
	}
	var many int
	if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM file_gram_counts
		GROUP BY project_id, gram HAVING COUNT(*) > 1) s`).Scan(&many); err != nil || many != 0 {
		t.Fatalf("%d trigrams with several rows after compaction (%v)", many, err)
	}
}
