package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// nonceRequest is one UseNonce call waiting for the group commit.
type nonceRequest struct {
	key     string
	expires int64
	reply   chan nonceReply
}

type nonceReply struct {
	fresh bool
	err   error
}

// maxNonceBatch bounds one group commit.
const maxNonceBatch = 256

const useNonceSQL = `INSERT INTO nonces (key, expires_at) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at < ?`

// UseNonce records key until expires. A key seen before counts as fresh again only once its earlier
// record has expired, which is also when a request carrying it has become too old to be accepted.
//
// Every signed request records a nonce, so this is the hottest write there is. Concurrent calls are
// committed together: one goroutine collects the waiting requests into one transaction and answers each
// after the commit, so an accepted nonce is as durable as any other write while the commit cost is shared.
// Two uses of one key in a batch see each other, exactly as in separate transactions.
func (db *DB) UseNonce(ctx context.Context, key string, expires time.Time) (bool, error) {
	req := nonceRequest{key: key, expires: millis(expires), reply: make(chan nonceReply, 1)}
	select {
	case db.nonces <- req:
	case <-db.quit:
		return false, fmt.Errorf("use nonce: store closed")
	case <-ctx.Done():
		return false, ctx.Err()
	}
	select {
	case r := <-req.reply:
		return r.fresh, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// nonceLoop runs the group commits of UseNonce until Close.
func (db *DB) nonceLoop() {
	defer close(db.loopDone)
	for {
		var batch []nonceRequest
		select {
		case <-db.quit:
			return
		case r := <-db.nonces:
			batch = append(batch, r)
		}
	collect:
		for len(batch) < maxNonceBatch {
			select {
			case r := <-db.nonces:
				batch = append(batch, r)
			default:
				break collect
			}
		}
		fresh := make([]bool, len(batch))
		err := db.inTx(context.Background(), func(tx *Tx) error {
			st, err := tx.tx.PrepareContext(context.Background(), db.q(useNonceSQL))
			if err != nil {
				return err
			}
			defer st.Close()
			now := millis(tx.now)
			for i, r := range batch {
				res, err := st.Exec(r.key, r.expires, now)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				fresh[i] = n == 1
			}
			return nil
		})
		for i, r := range batch {
			if err != nil {
				r.reply <- nonceReply{err: fmt.Errorf("use nonce: %w", err)}
			} else {
				r.reply <- nonceReply{fresh: fresh[i]}
			}
		}
	}
}

// PurgeNonces deletes the nonces that expired before t.
func (db *DB) PurgeNonces(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.exec(ctx, "DELETE FROM nonces WHERE expires_at < ?", millis(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
