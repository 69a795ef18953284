package sqlstore

import (
	"context"
	"time"
)

// UseNonce records key until expires. A key seen before counts as fresh again only once its earlier
// record has expired, which is also when a request carrying it has become too old to be accepted.
func (db *DB) UseNonce(ctx context.Context, key string, expires time.Time) (bool, error) {
	res, err := db.exec(ctx, `INSERT INTO nonces (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at < ?`,
		key, millis(expires), millis(db.Now()))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PurgeNonces deletes the nonces that expired before t.
func (db *DB) PurgeNonces(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.exec(ctx, "DELETE FROM nonces WHERE expires_at < ?", millis(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
