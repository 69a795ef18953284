package sqlstore

import (
	"context"
	"fmt"
	"strings"
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

// UseNonce records key until expires. A key seen before counts as fresh again only once its earlier
// record has expired, which is also when a request carrying it has become too old to be accepted.
//
// Every signed request records a nonce, so this is the hottest write there is. Concurrent calls are
// committed together: one goroutine collects the waiting requests into one statement and answers each
// after its commit, so an accepted nonce is as durable as any other write while the commit cost is shared.
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
	case <-db.quit: // the loop may have stopped before taking this request
		return false, fmt.Errorf("use nonce: store closed")
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
		fresh, err := db.useNonces(batch)
		for i, r := range batch {
			if err != nil {
				r.reply <- nonceReply{err: fmt.Errorf("use nonce: %w", err)}
			} else {
				r.reply <- nonceReply{fresh: fresh[i]}
			}
		}
	}
}

// useNonces records a batch in one statement and reports which requests were fresh. The statement
// inserts each distinct key once (a key repeated in the batch is fresh at most for its first request)
// and, through RETURNING, names the keys it inserted or renewed: those are the fresh ones.
func (db *DB) useNonces(batch []nonceRequest) ([]bool, error) {
	first := make(map[string]int, len(batch)) // key -> index of its first request
	var b strings.Builder
	b.WriteString("INSERT INTO nonces (key, expires_at) VALUES ")
	args := make([]any, 0, 2*len(batch)+1)
	for i, r := range batch {
		if _, dup := first[r.key]; dup {
			continue
		}
		first[r.key] = i
		if len(args) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
		args = append(args, r.key, r.expires)
	}
	b.WriteString(" ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at < ? RETURNING key")
	args = append(args, millis(db.Now()))
	rows, err := db.w.QueryContext(context.Background(), db.q(b.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fresh := make([]bool, len(batch))
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		fresh[first[key]] = true
	}
	return fresh, rows.Err()
}

// PurgeNonces deletes the nonces that expired before t.
func (db *DB) PurgeNonces(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.exec(ctx, "DELETE FROM nonces WHERE expires_at < ?", millis(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
