package core_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/sqlstore"
)

// clock is a settable time for the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// sessionFixture is a service at a pinned time with root, an admin, two members, and a user of another
// account; alice's password is "alice-password".
type sessionFixture struct {
	s                                *core.Service
	db                               *sqlstore.DB
	clock                            *clock
	root, admin, alice, bob, strange *sluice.User
}

func newSessionFixture(t *testing.T) *sessionFixture {
	t.Helper()
	s, db := mustOpen(t)
	s.PasswordCost = bcrypt.MinCost
	c := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	core.SetClock(s, c.now)
	ctx := context.Background()
	if _, err := s.Bootstrap(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	root, err := db.FindUserByName(ctx, core.RootUser)
	if err != nil {
		t.Fatal(err)
	}
	x := &sessionFixture{s: s, db: db, clock: c, root: root}
	for name, role := range map[string]sluice.UserRole{"admin": sluice.UserAdmin, "alice": sluice.UserMember, "bob": sluice.UserMember} {
		u, err := s.CreateUser(as(root), name, role)
		if err != nil {
			t.Fatal(err)
		}
		switch name {
		case "admin":
			x.admin = u
		case "alice":
			x.alice = u
		case "bob":
			x.bob = u
		}
	}
	other := &sluice.Account{Name: "other"}
	if err := db.CreateAccount(ctx, other); err != nil {
		t.Fatal(err)
	}
	x.strange = &sluice.User{AccountID: other.ID, Name: "stranger", Role: sluice.UserAdmin}
	if err := db.CreateUser(ctx, x.strange); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(as(x.alice), "alice", "alice-password"); err != nil {
		t.Fatal(err)
	}
	return x
}

func (x *sessionFixture) signIn(t *testing.T, name, password string) *sluice.SignIn {
	t.Helper()
	in, err := x.s.SignIn(context.Background(), name, password, "192.0.2.1")
	if err != nil {
		t.Fatalf("SignIn(%s): %v", name, err)
	}
	return in
}

func TestService_SetPassword(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	t.Run("Self", func(t *testing.T) {
		if err := x.s.SetPassword(as(x.bob), "bob", "bob-password"); err != nil {
			t.Fatal(err)
		}
		x.signIn(t, "bob", "bob-password")
	})
	t.Run("Admin", func(t *testing.T) {
		for _, by := range []*sluice.User{x.root, x.admin} {
			if err := x.s.SetPassword(as(by), "bob", "set-by-"+by.Name); err != nil {
				t.Fatalf("%s sets bob's password: %v", by.Name, err)
			}
			x.signIn(t, "bob", "set-by-"+by.Name)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		err := x.s.SetPassword(as(x.bob), "alice", "bob-was-here")
		wantCode(t, err, sluice.EFORBIDDEN)
		err = x.s.SetPassword(as(x.bob), "nobody", "bob-was-here") // a member learns nothing of other names
		wantCode(t, err, sluice.EFORBIDDEN)
		x.signIn(t, "alice", "alice-password")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, x.s.SetPassword(as(x.admin), "nobody", "long-enough"), sluice.ENOTFOUND)
		wantCode(t, x.s.SetPassword(as(x.strange), "alice", "long-enough"), sluice.ENOTFOUND) // another account's admin
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, pw := range []string{"", "short", "1234567", strings.Repeat("x", 73)} {
			err := x.s.SetPassword(as(x.alice), "alice", pw)
			wantCode(t, err, sluice.EINVALID)
			if msg := sluice.ErrorMessage(err); !strings.Contains(msg, "8 to 72 bytes") {
				t.Errorf("message for a %d-byte password: %q", len(pw), msg)
			}
		}
		for _, pw := range []string{"12345678", strings.Repeat("é", 36)} { // the bounds are bytes, not characters
			if err := x.s.SetPassword(as(x.bob), "bob", pw); err != nil {
				t.Errorf("%d-byte password: %v", len(pw), err)
			}
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		wantCode(t, x.s.SetPassword(ctx, "alice", "long-enough"), sluice.EUNAUTHENTICATED)
	})
	t.Run("Hashed", func(t *testing.T) {
		_, hash, err := x.db.FindUserPassword(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if cost, err := bcrypt.Cost(hash); err != nil || cost != bcrypt.MinCost || strings.Contains(string(hash), "alice-password") {
			t.Fatalf("stored hash %q: cost %d, %v", hash, cost, err)
		}
	})
}

func TestService_SignIn(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		if in.User.ID != x.alice.ID || in.Session.UserID != x.alice.ID {
			t.Fatalf("SignIn = %+v", in)
		}
		token, err := base64.RawURLEncoding.DecodeString(in.Token)
		if err != nil || len(token) != 32 {
			t.Fatalf("token %q: %d bytes, %v", in.Token, len(token), err)
		}
		if csrf, err := base64.RawURLEncoding.DecodeString(in.Session.CSRFToken); err != nil || len(csrf) != 32 || in.Session.CSRFToken == in.Token {
			t.Fatalf("CSRF token %q", in.Session.CSRFToken)
		}
		sum := sha256.Sum256([]byte(in.Token))
		if in.Session.ID != hex.EncodeToString(sum[:]) {
			t.Fatalf("session id %s is not the token's SHA-256", in.Session.ID)
		}
		now := x.clock.now()
		if !in.Session.CreatedAt.Equal(now) || !in.Session.SeenAt.Equal(now) || !in.Session.ExpiresAt.Equal(now.Add(core.SessionLifetime)) {
			t.Fatalf("session times %+v at %v", in.Session, now)
		}
		// The store holds the hash of the token, never the token.
		if _, err := x.db.FindSession(ctx, in.Token, now); sluice.ErrorCode(err) != sluice.ENOTFOUND {
			t.Fatalf("the store finds a session by its token: %v", err)
		}
	})
	t.Run("ErrSameForEveryFailure", func(t *testing.T) {
		var msgs []string
		for _, c := range [][2]string{{"alice", "wrong-password"}, {"nobody", "alice-password"}, {"bob", "no-password-set"}, {"alice", ""},
			{"alice", "alice-password" + strings.Repeat("x", 72)}} {
			_, err := x.s.SignIn(ctx, c[0], c[1], "192.0.2.2")
			wantCode(t, err, sluice.EUNAUTHENTICATED)
			msgs = append(msgs, sluice.ErrorMessage(err))
		}
		for _, m := range msgs {
			if m != "The user name or password is incorrect." {
				t.Fatalf("messages %q", msgs)
			}
		}
	})
}

func TestService_SignInThrottled(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	t.Run("PerName", func(t *testing.T) {
		for i := 0; i < core.SignInUserLimit; i++ {
			_, err := x.s.SignIn(ctx, "alice", "wrong-password", "192.0.2.10")
			wantCode(t, err, sluice.EUNAUTHENTICATED)
			x.clock.advance(time.Minute)
		}
		// The sixth attempt is refused with the right password, from any address.
		for _, addr := range []string{"192.0.2.10", "198.51.100.7"} {
			_, err := x.s.SignIn(ctx, "alice", "alice-password", addr)
			wantCode(t, err, sluice.ETHROTTLED)
			if msg := sluice.ErrorMessage(err); !strings.Contains(msg, "try again in about 15 minutes") {
				t.Fatalf("throttled message %q", msg)
			}
		}
		// Other names are not held back by alice's failures.
		if err := x.s.SetPassword(as(x.bob), "bob", "bob-password"); err != nil {
			t.Fatal(err)
		}
		x.signIn(t, "bob", "bob-password")
		// Once the first failure is older than the window, one more attempt is allowed; success clears the
		// name's count.
		x.clock.advance(core.SignInWindow - 4*time.Minute)
		x.signIn(t, "alice", "alice-password")
		for i := 0; i < core.SignInUserLimit-1; i++ {
			_, err := x.s.SignIn(ctx, "alice", "wrong-password", "192.0.2.11")
			wantCode(t, err, sluice.EUNAUTHENTICATED)
		}
		x.signIn(t, "alice", "alice-password")
	})
	t.Run("PerAddress", func(t *testing.T) {
		x.clock.advance(time.Hour)
		for i := 0; i < core.SignInAddrLimit; i++ {
			_, err := x.s.SignIn(ctx, "guess"+string(rune('a'+i)), "wrong-password", "203.0.113.9")
			wantCode(t, err, sluice.EUNAUTHENTICATED)
		}
		_, err := x.s.SignIn(ctx, "alice", "alice-password", "203.0.113.9")
		wantCode(t, err, sluice.ETHROTTLED)
		if _, err := x.s.SignIn(ctx, "alice", "alice-password", "203.0.113.10"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		x.clock.advance(core.SignInWindow + time.Second)
		if _, err := x.s.SignIn(ctx, "alice", "alice-password", "203.0.113.9"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// Parallel guesses at one name get no more tries than sequential ones: each attempt counts before its
// password is checked.
func TestService_SignInThrottledConcurrent(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	const attempts = 20
	codes := make(chan string, attempts)
	var wg sync.WaitGroup
	for i := 0; i < attempts; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := x.s.SignIn(ctx, "alice", "guess-"+string(rune('a'+i)), "192.0.2.20")
			codes <- sluice.ErrorCode(err)
		}()
	}
	wg.Wait()
	close(codes)
	got := map[string]int{}
	for c := range codes {
		got[c]++
	}
	if got[sluice.EUNAUTHENTICATED] != core.SignInUserLimit || got[sluice.ETHROTTLED] != attempts-core.SignInUserLimit {
		t.Fatalf("answers to %d parallel guesses: %v; want %d checked and the rest throttled", attempts, got, core.SignInUserLimit)
	}
	_, err := x.s.SignIn(ctx, "alice", "alice-password", "192.0.2.21")
	wantCode(t, err, sluice.ETHROTTLED)
}

func TestService_AuthenticateSession(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		sess, u, err := x.s.AuthenticateSession(ctx, in.Token)
		if err != nil || u.ID != x.alice.ID || sess.ID != in.Session.ID || sess.CSRFToken != in.Session.CSRFToken {
			t.Fatalf("AuthenticateSession = %+v, %+v, %v", sess, u, err)
		}
	})
	t.Run("Touch", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		start := x.clock.now()
		x.clock.advance(30 * time.Second)
		sess, _, err := x.s.AuthenticateSession(ctx, in.Token)
		if err != nil || !sess.SeenAt.Equal(start) {
			t.Fatalf("within a minute: %+v, %v; want last use %v", sess, err, start)
		}
		x.clock.advance(30 * time.Second)
		sess, _, err = x.s.AuthenticateSession(ctx, in.Token)
		if err != nil || !sess.SeenAt.Equal(x.clock.now()) {
			t.Fatalf("after a minute: %+v, %v; want last use %v", sess, err, x.clock.now())
		}
		stored, err := x.db.FindSession(ctx, in.Session.ID, x.clock.now())
		if err != nil || !stored.SeenAt.Equal(x.clock.now()) {
			t.Fatalf("stored %+v, %v", stored, err)
		}
	})
	t.Run("IdleTimeout", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		// Used every eleven hours, it lives on past twelve hours from sign-in.
		for i := 0; i < 3; i++ {
			x.clock.advance(11 * time.Hour)
			if _, _, err := x.s.AuthenticateSession(ctx, in.Token); err != nil {
				t.Fatalf("use %d after 11 h idle: %v", i, err)
			}
		}
		x.clock.advance(core.SessionIdleTimeout)
		_, _, err := x.s.AuthenticateSession(ctx, in.Token)
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
	t.Run("Lifetime", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		end := in.Session.ExpiresAt
		for x.clock.now().Add(time.Hour).Before(end) {
			if _, _, err := x.s.AuthenticateSession(ctx, in.Token); err != nil {
				t.Fatalf("at %v, before the end %v: %v", x.clock.now(), end, err)
			}
			x.clock.advance(6 * time.Hour)
		}
		x.clock.advance(end.Sub(x.clock.now()))
		_, _, err := x.s.AuthenticateSession(ctx, in.Token)
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		for _, token := range []string{"", "nope", strings.Repeat("A", 43)} {
			_, _, err := x.s.AuthenticateSession(ctx, token)
			wantCode(t, err, sluice.EUNAUTHENTICATED)
		}
		// The session id is no token.
		in := x.signIn(t, "alice", "alice-password")
		_, _, err := x.s.AuthenticateSession(ctx, in.Session.ID)
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
	t.Run("SignOut", func(t *testing.T) {
		in := x.signIn(t, "alice", "alice-password")
		other := x.signIn(t, "alice", "alice-password")
		if err := x.s.SignOut(ctx, in.Token); err != nil {
			t.Fatal(err)
		}
		_, _, err := x.s.AuthenticateSession(ctx, in.Token)
		wantCode(t, err, sluice.EUNAUTHENTICATED)
		if _, _, err := x.s.AuthenticateSession(ctx, other.Token); err != nil {
			t.Fatalf("the other session: %v", err)
		}
		if err := x.s.SignOut(ctx, in.Token); err != nil {
			t.Fatalf("signing out twice: %v", err)
		}
	})
	t.Run("PasswordChangeEndsSessions", func(t *testing.T) {
		a1 := x.signIn(t, "alice", "alice-password")
		a2 := x.signIn(t, "alice", "alice-password")
		if err := x.s.SetPassword(as(x.bob), "bob", "bob-password"); err != nil {
			t.Fatal(err)
		}
		b := x.signIn(t, "bob", "bob-password")
		if err := x.s.SetPassword(as(x.admin), "alice", "new-alice-password"); err != nil {
			t.Fatal(err)
		}
		for _, in := range []*sluice.SignIn{a1, a2} {
			_, _, err := x.s.AuthenticateSession(ctx, in.Token)
			wantCode(t, err, sluice.EUNAUTHENTICATED)
		}
		if _, _, err := x.s.AuthenticateSession(ctx, b.Token); err != nil {
			t.Fatalf("bob's session: %v", err)
		}
		_, err := x.s.SignIn(ctx, "alice", "alice-password", "192.0.2.1")
		wantCode(t, err, sluice.EUNAUTHENTICATED)
		x.signIn(t, "alice", "new-alice-password")
	})
}

func TestService_PurgeSessions(t *testing.T) {
	x := newSessionFixture(t)
	ctx := context.Background()
	idle := x.signIn(t, "alice", "alice-password")
	_, err := x.s.SignIn(ctx, "alice", "wrong-password", "192.0.2.1")
	wantCode(t, err, sluice.EUNAUTHENTICATED)
	x.clock.advance(core.SessionIdleTimeout - time.Hour)
	fresh := x.signIn(t, "alice", "alice-password")
	x.clock.advance(2 * time.Hour)
	n, err := x.s.PurgeSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("PurgeSessions = %d, %v; want 1", n, err)
	}
	if _, err := x.db.FindSession(ctx, idle.Session.ID, x.clock.now()); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("idle session after purge: %v", err)
	}
	if _, _, err := x.s.AuthenticateSession(ctx, fresh.Token); err != nil {
		t.Fatalf("fresh session after purge: %v", err)
	}
	counts, err := x.db.CountSignInFailures(ctx, []string{"addr:192.0.2.1"}, time.Time{})
	if err != nil || counts[0] != 0 {
		t.Fatalf("failures left after purge: %v, %v", counts, err)
	}
}
