package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// sessionTime is the pinned time of the session cases.
var sessionTime = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// testSessions: a session round-trips; an expired one is not found; touching moves its last use forward only;
// delete and purge remove it, and a session at the purge's times stays; a password change ends the user's
// sessions and only its; a session made without a time is made at the store's now.
func testSessions(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	bob := Seed(t, db, "bob", sluice.UserMember)
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

	t.Run("PurgeEdges", func(t *testing.T) {
		// Purged means expired or last seen strictly before the times given: a session at either edge stays.
		expiredBefore, seenBefore := sessionTime.Add(time.Hour), sessionTime.Add(-12*time.Hour)
		edge := &sluice.Session{ID: "e-edge", UserID: bob.ID, CreatedAt: seenBefore, ExpiresAt: expiredBefore}
		must(t, db.CreateSession(ctx, edge))
		newSession("e-seen", bob, seenBefore.Add(-time.Millisecond))
		expired := &sluice.Session{ID: "e-expired", UserID: bob.ID, CreatedAt: sessionTime, ExpiresAt: expiredBefore.Add(-time.Millisecond)}
		must(t, db.CreateSession(ctx, expired))
		_, err := db.PurgeSessions(ctx, expiredBefore, seenBefore)
		must(t, err)
		for id, want := range map[string]string{edge.ID: "", "e-seen": sluice.ENOTFOUND, expired.ID: sluice.ENOTFOUND} {
			_, err := db.FindSession(ctx, id, seenBefore)
			if got := sluice.ErrorCode(err); got != want {
				t.Errorf("session %s after purge: %v, want code %q", id, err, want)
			}
		}
	})

	t.Run("CreatedNow", func(t *testing.T) {
		// Without a creation time, a session is made at the store's now, cut to the millisecond.
		clock.Set(sessionTime.Add(42*time.Second + 7654321*time.Nanosecond))
		s := &sluice.Session{ID: "n1", UserID: alice.ID, ExpiresAt: sessionTime.Add(time.Hour)}
		must(t, db.CreateSession(ctx, s))
		want := sessionTime.Add(42*time.Second + 7*time.Millisecond)
		got, err := db.FindSession(ctx, "n1", sessionTime)
		must(t, err)
		if !s.CreatedAt.Equal(want) || !got.CreatedAt.Equal(want) || !got.SeenAt.Equal(want) {
			t.Fatalf("created at %v (read back %+v), want %v", s.CreatedAt, got, want)
		}
	})
}

// testSignInFailures: failures count per key within the window; clearing forgets a key's failures and every
// old one.
func testSignInFailures(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
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
func testConcurrentSignInFailures(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
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

// testSignInWindow: the failures counted are those since the window's start, edge included: as the window
// slides on, each failure leaves the count one millisecond after it leaves the window, and a clear of what
// is older than the window keeps a failure at its edge.
func testSignInWindow(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	const window = 15 * time.Minute
	keys := []string{"user:alice"}
	start := clock.Now()
	for i, at := range []time.Duration{0, 5 * time.Minute, 10 * time.Minute} {
		now := start.Add(at)
		clock.Set(now)
		counts, err := db.AddSignInFailure(ctx, keys, now, now.Add(-window))
		must(t, err)
		if counts[0] != i+1 {
			t.Fatalf("failure %d: count %d, want %d", i+1, counts[0], i+1)
		}
	}
	count := func() int {
		t.Helper()
		counts, err := db.CountSignInFailures(ctx, keys, clock.Now().Add(-window))
		must(t, err)
		return counts[0]
	}
	for _, step := range []struct {
		at   time.Duration
		want int
	}{
		{window, 3},                    // the first failure is at the window's edge
		{window + time.Millisecond, 2}, // and now out of it
		{window + 5*time.Minute, 2},    // the second at the edge
		{window + 5*time.Minute + time.Millisecond, 1},
		{window + 10*time.Minute + time.Millisecond, 0},
	} {
		clock.Set(start.Add(step.at))
		if got := count(); got != step.want {
			t.Fatalf("%v after the first failure: count %d, want %d", step.at, got, step.want)
		}
	}
	// A new failure counts only with those still in the window.
	clock.Set(start.Add(window + 5*time.Minute))
	counts, err := db.AddSignInFailure(ctx, keys, clock.Now(), clock.Now().Add(-window))
	must(t, err)
	if counts[0] != 3 {
		t.Fatalf("a failure with two in the window: count %d, want 3", counts[0])
	}
	// Clearing what is older than the window keeps the failure at its edge.
	must(t, db.ClearSignInFailures(ctx, nil, clock.Now().Add(-window)))
	counts, err = db.CountSignInFailures(ctx, keys, time.Time{})
	must(t, err)
	if counts[0] != 3 {
		t.Fatalf("after clearing the old failures: %d left, want 3 (the one at the edge, the next, the new)", counts[0])
	}
}
