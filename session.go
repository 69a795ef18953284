package sluice

import (
	"context"
	"time"
)

// Session is a sign-in to the web console. The browser holds a random token in an HttpOnly cookie; the store
// keeps only the token's SHA-256, so that a copy of the database signs nobody in. Sessions live in the
// database, so any replica serves any session.
type Session struct {
	ID        string // hex SHA-256 of the token
	UserID    int64
	CSRFToken string // sent back by the console in X-CSRF-Token on every change
	CreatedAt time.Time
	SeenAt    time.Time // last use, renewed at most once a minute
	ExpiresAt time.Time // absolute end, whatever the use
}

// SessionStore keeps console passwords, sessions and failed sign-ins.
type SessionStore interface {
	// SetUserPassword stores a password hash (nil removes the password) and ends the user's sessions, in one
	// transaction.
	SetUserPassword(ctx context.Context, userID int64, hash []byte) error
	// FindUserPassword returns the named user and its password hash (nil when it has none).
	FindUserPassword(ctx context.Context, name string) (*User, []byte, error)

	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with id; an expired one is ENOTFOUND.
	FindSession(ctx context.Context, id string, now time.Time) (*Session, error)
	TouchSession(ctx context.Context, id string, seen time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// PurgeSessions deletes sessions that expired, or were last seen, before the given times.
	PurgeSessions(ctx context.Context, expiredBefore, seenBefore time.Time) (int64, error)

	// AddSignInFailure records a failed sign-in under each of keys (a user name, a client address) at t and
	// returns, for each key, the failures recorded since since (including this one).
	AddSignInFailure(ctx context.Context, keys []string, t, since time.Time) ([]int, error)
	// CountSignInFailures returns, for each key, the failures recorded since since.
	CountSignInFailures(ctx context.Context, keys []string, since time.Time) ([]int, error)
	// ClearSignInFailures forgets the failures of keys (after a successful sign-in) and any older than before.
	ClearSignInFailures(ctx context.Context, keys []string, before time.Time) error
}

// SignIn is the outcome of a successful sign-in: the session and the token to put in the browser's cookie.
type SignIn struct {
	Session *Session
	User    *User
	Token   string
}

// SessionService signs users in to the console with passwords and resolves session tokens.
type SessionService interface {
	// SetPassword sets the named user's password: an admin for any user of its account, any user for itself.
	// It ends all the user's sessions (the caller carries no session to spare).
	SetPassword(ctx context.Context, userName, password string) error
	// SignIn checks a name and password. Failures are counted per name and per client address: past the
	// limit, sign-in is ETHROTTLED for a while, whatever the password.
	SignIn(ctx context.Context, userName, password, clientAddr string) (*SignIn, error)
	// AuthenticateSession resolves a session token to its session and user; an unknown or expired token is
	// EUNAUTHENTICATED.
	AuthenticateSession(ctx context.Context, token string) (*Session, *User, error)
	// SignOut ends the session of token.
	SignOut(ctx context.Context, token string) error
}
