package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sluice-dev/sluice"
)

// Console sessions and sign-in throttling. The console sets its cookie's lifetime from SessionLifetime.
const (
	// SessionLifetime is how long a session lasts from sign-in, however much it is used.
	SessionLifetime = 7 * 24 * time.Hour
	// SessionIdleTimeout ends a session not used for this long.
	SessionIdleTimeout = 12 * time.Hour
	// SessionTouchInterval is how often a session's last use is written: more often would be a database
	// write for every page the console loads, and the idle timeout needs no finer grain.
	SessionTouchInterval = time.Minute

	// SignInWindow is how far back failed sign-ins count. More than SignInUserLimit failures for one user
	// name, or SignInAddrLimit from one client address, within it and sign-in is refused until the oldest
	// of them is older than the window.
	SignInWindow    = 15 * time.Minute
	SignInUserLimit = 5
	SignInAddrLimit = 20

	// MinPasswordBytes and MaxPasswordBytes bound a console password. bcrypt reads no more than 72 bytes;
	// a longer password would be cut without telling its owner, so it is refused instead.
	MinPasswordBytes = 8
	MaxPasswordBytes = 72
)

// errSignIn is the one answer to every wrong name or password, so that the answer tells no one which user
// names exist or have a password.
func errSignIn() error {
	return sluice.Errorf(sluice.EUNAUTHENTICATED, "The user name or password is incorrect.")
}

func errThrottled() error {
	return sluice.Errorf(sluice.ETHROTTLED, "Too many failed sign-ins: try again in about %d minutes.", int(SignInWindow/time.Minute))
}

func errSessionEnded() error {
	return sluice.Errorf(sluice.EUNAUTHENTICATED, "The session has ended: sign in again.")
}

// passwordCost is the bcrypt cost of new password hashes.
func (s *Service) passwordCost() int {
	if s.PasswordCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.PasswordCost
}

// dummyHash returns a hash at the current cost that no password matches, for SignIn to compare against
// when the user has no hash: a missing user then takes as long as a wrong password.
func (s *Service) dummyHash() []byte {
	cost := s.passwordCost()
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.dummyHashes[cost]; ok {
		return h
	}
	h, err := bcrypt.GenerateFromPassword([]byte(randomString(32, alnum)), cost)
	if err != nil {
		panic(err) // only an invalid cost fails, and the cost is the service's own setting
	}
	if s.dummyHashes == nil {
		s.dummyHashes = map[int][]byte{}
	}
	s.dummyHashes[cost] = h
	return h
}

func checkPassword(password string) error {
	if n := len(password); n < MinPasswordBytes || n > MaxPasswordBytes {
		return sluice.Errorf(sluice.EINVALID, "The password must be %d to %d bytes long (it is %d).", MinPasswordBytes, MaxPasswordBytes, n)
	}
	return nil
}

// SetPassword sets the named user's console password: an admin may for any user of its account, any user
// for itself. Every session of the user ends, the caller's own included: a password is changed when it may
// be known to someone else, whose sessions must not outlive it.
func (s *Service) SetPassword(ctx context.Context, userName, password string) error {
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	if userName != c.Name && !c.IsAdmin() {
		return sluice.Errorf(sluice.EFORBIDDEN, "Only the root user and account admins may set another user's password.")
	}
	u, err := s.store.FindUserByName(ctx, userName)
	if err != nil {
		return err
	}
	if u.AccountID != c.AccountID {
		return sluice.Errorf(sluice.ENOTFOUND, "User %q does not exist.", userName)
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost())
	if err != nil {
		return fmt.Errorf("hash password of %s: %w", userName, err)
	}
	return s.store.SetUserPassword(audited(ctx, nil, entry("SetPassword", "user", u.Name, u.ID, "")), u.ID, hash)
}

// SignIn checks a user name and password and, when they match, opens a session.
//
// Failed sign-ins are counted per name and per client address; past the limits (see SignInWindow) the
// answer is ETHROTTLED without looking at the password, so guessing stops however good the guess. Every
// other failure — no such user, no password, a wrong password — is the same EUNAUTHENTICATED answer after
// the same bcrypt work.
func (s *Service) SignIn(ctx context.Context, userName, password, clientAddr string) (*sluice.SignIn, error) {
	now := s.now()
	since := now.Add(-SignInWindow)
	keys := []string{"user:" + userName, "addr:" + clientAddr}
	counts, err := s.store.CountSignInFailures(ctx, keys, since)
	if err != nil {
		return nil, fmt.Errorf("count failed sign-ins: %w", err)
	}
	if counts[0] >= SignInUserLimit || counts[1] >= SignInAddrLimit {
		return nil, errThrottled()
	}
	// The attempt counts as a failure of the name from before its password is checked until it succeeds.
	// Checked only after the comparison, parallel guesses at one name would all pass the count above
	// before any of them failed: the store's count of this attempt tells it its place among them, exactly.
	reserved, err := s.store.AddSignInFailure(ctx, keys[:1], now, since)
	if err != nil {
		return nil, fmt.Errorf("record sign-in attempt: %w", err)
	}
	if reserved[0] > SignInUserLimit {
		return nil, errThrottled()
	}

	u, hash, err := s.store.FindUserPassword(ctx, userName)
	if err != nil && sluice.ErrorCode(err) != sluice.ENOTFOUND {
		return nil, err
	}
	ok := hash != nil
	if !ok {
		hash = s.dummyHash()
	}
	// A password longer than bcrypt reads cannot have been set (checkPassword); it is compared all the same,
	// for the time, and refused whatever bcrypt makes of its first 72 bytes.
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if !ok || !match || len(password) > MaxPasswordBytes {
		if _, err := s.store.AddSignInFailure(ctx, keys[1:], now, since); err != nil {
			return nil, fmt.Errorf("record failed sign-in: %w", err)
		}
		return nil, errSignIn()
	}

	if err := s.store.ClearSignInFailures(ctx, keys[:1], since); err != nil {
		return nil, fmt.Errorf("clear failed sign-ins: %w", err)
	}
	token := randomToken()
	sess := &sluice.Session{ID: sessionID(token), UserID: u.ID, CSRFToken: randomToken(),
		CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return &sluice.SignIn{Session: sess, User: u, Token: token}, nil
}

// AuthenticateSession resolves a session token to its session and user. A session past its absolute end, unused
// for SessionIdleTimeout, or whose user is gone is EUNAUTHENTICATED. The last use is written at most once
// every SessionTouchInterval.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (*sluice.Session, *sluice.User, error) {
	if token == "" {
		return nil, nil, errSessionEnded()
	}
	now := s.now()
	sess, err := s.store.FindSession(ctx, sessionID(token), now)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil, errSessionEnded()
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.SeenAt) >= SessionIdleTimeout {
		// Ended for good: delete it now rather than wait for the purge. A failure here changes nothing.
		_ = s.store.DeleteSession(ctx, sess.ID)
		return nil, nil, errSessionEnded()
	}
	u, err := s.store.FindUserByID(ctx, sess.UserID)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil, errSessionEnded()
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.SeenAt) >= SessionTouchInterval {
		err := s.store.TouchSession(ctx, sess.ID, now)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND { // signed out or purged meanwhile
			return nil, nil, errSessionEnded()
		}
		if err != nil {
			return nil, nil, fmt.Errorf("renew session: %w", err)
		}
		sess.SeenAt = now.Truncate(time.Millisecond)
	}
	return sess, u, nil
}

// SignOut ends the session of token. A session that has ended already is no error: signing out twice, or
// after the session expired, leaves the browser where it wanted to be.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.store.DeleteSession(ctx, sessionID(token))
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil
	}
	return err
}

// PurgeSessions deletes the sessions that have ended, by their absolute end or by idleness, and the failed
// sign-ins older than the window. The server's maintenance loop calls it.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.now()
	n, err := s.store.PurgeSessions(ctx, now, now.Add(-SessionIdleTimeout))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	if err := s.store.ClearSignInFailures(ctx, nil, now.Add(-SignInWindow)); err != nil {
		return n, fmt.Errorf("purge failed sign-ins: %w", err)
	}
	return n, nil
}

// randomToken returns 32 random bytes (256 bits), base64url without padding: safe in a cookie and a header.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionID is what the store keeps of a token: its SHA-256, in hex. The token has 256 random bits, so a
// plain hash (not a slow password hash) is enough to make the stored id useless to whoever reads it.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
