package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

var _ sluice.SessionStore = (*DB)(nil)

// SetUserPassword stores a user's password hash (nil removes it) and ends the user's console sessions in
// the same transaction, so that no session made with the old password outlives the change.
func (db *DB) SetUserPassword(ctx context.Context, userID int64, hash []byte) error {
	var stored any // a nil []byte must be stored as NULL, not as an empty value
	if hash != nil {
		stored = hash
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", stored, userID)
		if err := checkAffected(res, err, "User %d does not exist.", userID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, "DELETE FROM console_sessions WHERE user_id = ?", userID)
		return err
	})
}

// FindUserPassword returns the named user and its password hash, nil when it has none.
func (db *DB) FindUserPassword(ctx context.Context, name string) (*sluice.User, []byte, error) {
	var u sluice.User
	var role string
	var created int64
	var hash []byte
	err := db.queryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE name = ?", name).
		Scan(&u.ID, &u.AccountID, &u.Name, &role, &created, &hash)
	if err != nil {
		return nil, nil, notFound(err, "User %q does not exist.", name)
	}
	u.Role, u.CreatedAt = sluice.UserRole(role), fromMillis(created)
	if len(hash) == 0 {
		hash = nil
	}
	return &u, hash, nil
}

// CreateSession inserts s. A zero CreatedAt is the transaction's time and a zero SeenAt is CreatedAt; the
// times are cut to the milliseconds the table keeps, so s equals what FindSession returns.
func (db *DB) CreateSession(ctx context.Context, s *sluice.Session) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if s.CreatedAt.IsZero() {
			s.CreatedAt = tx.now
		}
		if s.SeenAt.IsZero() {
			s.SeenAt = s.CreatedAt
		}
		s.CreatedAt, s.SeenAt, s.ExpiresAt = fromMillis(millis(s.CreatedAt)), fromMillis(millis(s.SeenAt)), fromMillis(millis(s.ExpiresAt))
		_, err := tx.exec(ctx, "INSERT INTO console_sessions (id, user_id, csrf_token, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			s.ID, s.UserID, s.CSRFToken, millis(s.CreatedAt), millis(s.SeenAt), millis(s.ExpiresAt))
		switch {
		case isUnique(err):
			return sluice.Errorf(sluice.ECONFLICT, "The session exists already.")
		case isForeignKey(err):
			return sluice.Errorf(sluice.ENOTFOUND, "User %d does not exist.", s.UserID)
		}
		return err
	})
}

// FindSession returns the session with id unless it has expired by now. Its message never repeats the id:
// the id is a credential's hash and has no business in logs.
func (db *DB) FindSession(ctx context.Context, id string, now time.Time) (*sluice.Session, error) {
	s := sluice.Session{ID: id}
	var created, seen, expires int64
	err := db.queryRow(ctx, "SELECT user_id, csrf_token, created_at, seen_at, expires_at FROM console_sessions WHERE id = ? AND expires_at > ?",
		id, millis(now)).Scan(&s.UserID, &s.CSRFToken, &created, &seen, &expires)
	if err != nil {
		return nil, notFound(err, "The session does not exist or has expired.")
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = fromMillis(created), fromMillis(seen), fromMillis(expires)
	return &s, nil
}

// TouchSession records a use of the session at seen. A later use recorded already is kept: two requests
// of one browser may touch the session out of order.
func (db *DB) TouchSession(ctx context.Context, id string, seen time.Time) error {
	res, err := db.exec(ctx, "UPDATE console_sessions SET seen_at = ? WHERE id = ? AND seen_at <= ?", millis(seen), id, millis(seen))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var one int
	err = db.queryRow(ctx, "SELECT 1 FROM console_sessions WHERE id = ?", id).Scan(&one)
	return notFound(err, "The session does not exist or has expired.")
}

// DeleteSession deletes the session with id.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	res, err := db.exec(ctx, "DELETE FROM console_sessions WHERE id = ?", id)
	return checkAffected(res, err, "The session does not exist or has expired.")
}

// PurgeSessions deletes the sessions that expired before expiredBefore or were last seen before seenBefore.
func (db *DB) PurgeSessions(ctx context.Context, expiredBefore, seenBefore time.Time) (int64, error) {
	res, err := db.exec(ctx, "DELETE FROM console_sessions WHERE expires_at < ? OR seen_at < ?", millis(expiredBefore), millis(seenBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// AddSignInFailure records a failure under each key at t and returns each key's failures since since.
//
// The counts are exact under concurrent sign-ins: on SQLite the one writer serialises the transactions; on
// PostgreSQL a transaction-scoped advisory lock per key does, taken in key order so that two sign-ins
// sharing keys never deadlock. Without the lock, two concurrent failures could each count the other's row
// not yet committed, and both see a count below the limit.
func (db *DB) AddSignInFailure(ctx context.Context, keys []string, t, since time.Time) ([]int, error) {
	counts := make([]int, len(keys))
	err := db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			sorted := slices.Clone(keys)
			slices.Sort(sorted)
			for _, k := range slices.Compact(sorted) {
				if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?, hashtext(?))", int32(signInLockSpace), k); err != nil {
					return err
				}
			}
		}
		for _, k := range keys {
			if _, err := tx.exec(ctx, "INSERT INTO signin_failures (key, at) VALUES (?, ?)", k, millis(t)); err != nil {
				return err
			}
		}
		for i, k := range keys {
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM signin_failures WHERE key = ? AND at >= ?", k, millis(since)).Scan(&counts[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// signInLockSpace is the first half of the PostgreSQL advisory locks of AddSignInFailure, apart from the
// migration lock's.
const signInLockSpace = 0x5107cf

// CountSignInFailures returns each key's failures since since.
func (db *DB) CountSignInFailures(ctx context.Context, keys []string, since time.Time) ([]int, error) {
	counts := make([]int, len(keys))
	for i, k := range keys {
		err := db.queryRow(ctx, "SELECT COUNT(*) FROM signin_failures WHERE key = ? AND at >= ?", k, millis(since)).Scan(&counts[i])
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// ClearSignInFailures deletes the failures of keys, and every failure older than before.
func (db *DB) ClearSignInFailures(ctx context.Context, keys []string, before time.Time) error {
	query := "DELETE FROM signin_failures WHERE at < ?"
	args := []any{millis(before)}
	if len(keys) > 0 {
		query += " OR key IN (?" + strings.Repeat(", ?", len(keys)-1) + ")"
		for _, k := range keys {
			args = append(args, k)
		}
	}
	_, err := db.exec(ctx, query, args...)
	return err
}
