package storetest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// sessionTime is the pinned time of the session cases.
var sessionTime = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// testSessions: a session round-trips; an expired one is not found; touching moves its last use forward only;
// delete and purge remove it; a password change ends the user's sessions and only its; deleting a user
// deletes its sessions.
func testSessions(t *testing.T, newDSN NewDSN) {
	ctx := context.Background()
	dsn := newDSN(t)
	db := MustOpen(t, func(testing.TB) string { return dsn })
	alice := seed(t, db, "alice", sluice.UserMember)
	bob := seed(t, db, "bob", sluice.UserMember)
	newSession := func(id string, u *sluice.User, created time.Time) *sluice.Session {
		t.Helper()
		s := &sluice.Session{ID: id, UserID: u.ID, CSRFToken: "csrf-" + id, CreatedAt: created, ExpiresAt: created.Add(7 * 24 * time.Hour)}
		must(t, db.CreateSession(ctx, s))
		return s
	}

	t.Run("Passwords", func(t *testing.T) {
		u, hash, err := db.FindUserPassword(ctx, "alice")
		must(t, err)
		if u.ID != alice.ID || u.Name != "alice" || u.Role != sluice.UserMember || hash != nil {
			t.Fatalf("FindUserPassword before = %+v, %q", u, hash)
		}
		must(t, db.SetUserPassword(ctx, alice.ID, []byte("$2a$hash")))
		if _, hash, err = db.FindUserPassword(ctx, "alice"); err != nil || string(hash) != "$2a$hash" {
			t.Fatalf("FindUserPassword after = %q, %v", hash, err)
		}
		must(t, db.SetUserPassword(ctx, alice.ID, nil))
		if _, hash, err = db.FindUserPassword(ctx, "alice"); err != nil || hash != nil {
			t.Fatalf("FindUserPassword after removal = %q, %v", hash, err)
		}
		_, _, err = db.FindUserPassword(ctx, "nobody")
		wantCode(t, err, sluice.ENOTFOUND)
		wantCode(t, db.SetUserPassword(ctx, 999999, []byte("x")), sluice.ENOTFOUND)
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s := newSession("s1", alice, sessionTime.Add(123456789*time.Nanosecond))
		got, err := db.FindSession(ctx, "s1", sessionTime)
		must(t, err)
		if *got != *s || !got.SeenAt.Equal(got.CreatedAt) || got.CreatedAt.Nanosecond() != 123_000_000 {
			t.Fatalf("FindSession = %+v, want %+v", got, s)
		}
		wantCode(t, db.CreateSession(ctx, &sluice.Session{ID: "s1", UserID: bob.ID, ExpiresAt: sessionTime.Add(time.Hour)}), sluice.ECONFLICT)
		wantCode(t, db.CreateSession(ctx, &sluice.Session{ID: "s0", UserID: 999999, ExpiresAt: sessionTime.Add(time.Hour)}), sluice.ENOTFOUND)
		_, err = db.FindSession(ctx, "nope", sessionTime)
		wantCode(t, err, sluice.ENOTFOUND)
	})

	t.Run("Expiry", func(t *testing.T) {
		s := newSession("s2", alice, sessionTime)
		if _, err := db.FindSession(ctx, "s2", s.ExpiresAt.Add(-time.Millisecond)); err != nil {
			t.Fatalf("FindSession just before expiry: %v", err)
		}
		_, err := db.FindSession(ctx, "s2", s.ExpiresAt)
		wantCode(t, err, sluice.ENOTFOUND)
	})

	t.Run("Touch", func(t *testing.T) {
		newSession("s3", alice, sessionTime)
		must(t, db.TouchSession(ctx, "s3", sessionTime.Add(time.Hour)))
		must(t, db.TouchSession(ctx, "s3", sessionTime.Add(time.Minute))) // late and out of order: kept back
		got, err := db.FindSession(ctx, "s3", sessionTime)
		must(t, err)
		if !got.SeenAt.Equal(sessionTime.Add(time.Hour)) || !got.CreatedAt.Equal(sessionTime) {
			t.Fatalf("after touch = %+v", got)
		}
		wantCode(t, db.TouchSession(ctx, "nope", sessionTime), sluice.ENOTFOUND)
	})

	t.Run("Delete", func(t *testing.T) {
		newSession("s4", alice, sessionTime)
		must(t, db.DeleteSession(ctx, "s4"))
		_, err := db.FindSession(ctx, "s4", sessionTime)
		wantCode(t, err, sluice.ENOTFOUND)
		wantCode(t, db.DeleteSession(ctx, "s4"), sluice.ENOTFOUND)
	})

	t.Run("Purge", func(t *testing.T) {
		newSession("p-expired", bob, sessionTime.Add(-8*24*time.Hour))
		idle := newSession("p-idle", bob, sessionTime.Add(-24*time.Hour))
		fresh := newSession("p-fresh", bob, sessionTime.Add(-24*time.Hour))
		must(t, db.TouchSession(ctx, fresh.ID, sessionTime.Add(-time.Hour)))
		n, err := db.PurgeSessions(ctx, sessionTime, sessionTime.Add(-12*time.Hour))
		must(t, err)
		if n < 2 { // alice's sessions of the cases above may go too, by their last use
			t.Fatalf("purged %d sessions, want at least 2", n)
		}
		for id, want := range map[string]string{"p-expired": sluice.ENOTFOUND, idle.ID: sluice.ENOTFOUND, fresh.ID: ""} {
			_, err := db.FindSession(ctx, id, sessionTime)
			if got := sluice.ErrorCode(err); got != want {
				t.Errorf("session %s after purge: %v, want code %q", id, err, want)
			}
		}
	})

	t.Run("PasswordEndsSessions", func(t *testing.T) {
		newSession("a1", alice, sessionTime)
		newSession("a2", alice, sessionTime)
		newSession("b1", bob, sessionTime)
		must(t, db.SetUserPassword(ctx, alice.ID, []byte("$2a$new")))
		for id, want := range map[string]string{"a1": sluice.ENOTFOUND, "a2": sluice.ENOTFOUND, "b1": ""} {
			_, err := db.FindSession(ctx, id, sessionTime)
			if got := sluice.ErrorCode(err); got != want {
				t.Errorf("session %s after alice's password change: %v, want code %q", id, err, want)
			}
		}
	})

	t.Run("UserDeleteCascades", func(t *testing.T) {
		carol := seed(t, db, "carol", sluice.UserMember)
		newSession("c1", carol, sessionTime)
		// The store has no user deletion yet; the schema must still not leave a deleted user's sessions.
		driver, raw := "sqlite", dsn+"?_pragma=foreign_keys(1)"
		if strings.HasPrefix(dsn, "postgres") {
			driver, raw = "pgx", dsn
		}
		conn, err := sql.Open(driver, raw)
		must(t, err)
		defer conn.Close()
		q := "DELETE FROM users WHERE id = ?"
		if driver == "pgx" {
			q = "DELETE FROM users WHERE id = $1"
		}
		_, err = conn.ExecContext(ctx, q, carol.ID)
		must(t, err)
		_, err = db.FindSession(ctx, "c1", sessionTime)
		wantCode(t, err, sluice.ENOTFOUND)
	})
}

// testSignInFailures: failures count per key within the window; clearing forgets a key's failures and every
// old one.
func testSignInFailures(t *testing.T, newDSN NewDSN) {
	ctx := context.Background()
	db := MustOpen(t, newDSN)
	since := sessionTime.Add(-15 * time.Minute)
	counts, err := db.CountSignInFailures(ctx, []string{"user:alice", "addr:10.0.0.1"}, since)
	must(t, err)
	if !slices.Equal(counts, []int{0, 0}) {
		t.Fatalf("counts before = %v", counts)
	}
	_, err = db.AddSignInFailure(ctx, []string{"user:alice", "addr:10.0.0.1"}, sessionTime.Add(-time.Hour), since) // outside the window
	must(t, err)
	for i := 1; i <= 3; i++ {
		counts, err = db.AddSignInFailure(ctx, []string{"user:alice", "addr:10.0.0.1"}, sessionTime, since)
		must(t, err)
		if !slices.Equal(counts, []int{i, i}) {
			t.Fatalf("failure %d: counts = %v", i, counts)
		}
	}
	counts, err = db.AddSignInFailure(ctx, []string{"user:bob", "addr:10.0.0.1"}, sessionTime, since)
	must(t, err)
	if !slices.Equal(counts, []int{1, 4}) {
		t.Fatalf("bob's failure: counts = %v, want [1 4]", counts)
	}
	// Alice signs in: her name's failures go, the address's stay; the failure outside the window goes too.
	must(t, db.ClearSignInFailures(ctx, []string{"user:alice"}, since))
	counts, err = db.CountSignInFailures(ctx, []string{"user:alice", "user:bob", "addr:10.0.0.1"}, time.Time{})
	must(t, err)
	if !slices.Equal(counts, []int{0, 1, 4}) {
		t.Fatalf("counts after clear = %v, want [0 1 4]", counts)
	}
	must(t, db.ClearSignInFailures(ctx, nil, sessionTime.Add(time.Second)))
	counts, err = db.CountSignInFailures(ctx, []string{"user:bob", "addr:10.0.0.1"}, time.Time{})
	must(t, err)
	if !slices.Equal(counts, []int{0, 0}) {
		t.Fatalf("counts after purge = %v, want [0 0]", counts)
	}
}

// testConcurrentSignInFailures: failures recorded at once by many sign-ins are all counted, and each sees a
// count of its own, so no two attempts both pass as the limit's last.
func testConcurrentSignInFailures(t *testing.T, newDSN NewDSN) {
	ctx := context.Background()
	db := MustOpen(t, newDSN)
	const workers, each = 8, 10
	since := sessionTime.Add(-15 * time.Minute)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen []int
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every worker shares the name; each has an address of its own, listed first or last, so lock
			// orders differ between workers.
			keys := []string{"user:alice", "addr:" + string(rune('a'+w))}
			if w%2 == 1 {
				keys[0], keys[1] = keys[1], keys[0]
			}
			for i := 0; i < each; i++ {
				counts, err := db.AddSignInFailure(ctx, keys, sessionTime, since)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					seen = append(seen, counts[slices.Index(keys, "user:alice")])
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	must(t, firstErr)
	counts, err := db.CountSignInFailures(ctx, []string{"user:alice", "addr:a", "addr:h"}, since)
	must(t, err)
	if !slices.Equal(counts, []int{workers * each, each, each}) {
		t.Fatalf("counts = %v, want [%d %d %d]", counts, workers*each, each, each)
	}
	slices.Sort(seen)
	for i, c := range seen {
		if c != i+1 {
			t.Fatalf("the concurrent failures saw counts %v, want each of 1 to %d once", seen, workers*each)
		}
	}
}
