package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
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
		for len(batch) < maxNonceBatch {
			// Let the handlers that are about to record their nonces get here first. With nothing else
			// to run this returns at once; under load it turns batches of one or two into batches of
			// several (measured: 1.3 requests a commit before, about 5 after, at 16 concurrent
			// clients), and the commit is most of a nonce's cost.
			runtime.Gosched()
			n := len(batch)
		collect:
			for len(batch) < maxNonceBatch {
				select {
				case r := <-db.nonces:
					batch = append(batch, r)
				default:
					break collect
				}
			}
			if len(batch) == n {
				break
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
//
// The statement's text is the same for every batch size, so it is prepared once: the batch travels as
// one argument (a JSON array on SQLite, two arrays on PostgreSQL). Written out as VALUES (?, ?), ... its
// text changed with every batch size, and SQLite parsed each batch's statement anew, a tenth of a signed
// request's time.
func (db *DB) useNonces(batch []nonceRequest) ([]bool, error) {
	first := make(map[string]int, len(batch)) // key -> index of its first request
	keys := make([]string, 0, len(batch))
	expires := make([]int64, 0, len(batch))
	for i, r := range batch {
		if _, dup := first[r.key]; dup {
			continue
		}
		first[r.key] = i
		keys = append(keys, r.key)
		expires = append(expires, r.expires)
	}
	st, err := db.nonceStmt()
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if db.dialect == Postgres {
		rows, err = st.Query(keys, expires, millis(db.Now()))
	} else {
		var doc []byte
		if doc, err = nonceBatchJSON(keys, expires); err != nil {
			return nil, err
		}
		rows, err = st.Query(string(doc), millis(db.Now()))
	}
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

// The batch insert of useNonces, one text per dialect. On SQLite the rows come from a JSON array of
// [key, expires] pairs ("WHERE true" is how SQLite's grammar tells an upsert's ON CONFLICT from a join's
// ON after a SELECT); on PostgreSQL from two arrays unnested side by side.
const (
	nonceInsertSQLite = "INSERT INTO nonces (key, expires_at) SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true " +
		"ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at < ? RETURNING key"
	noncesInsertPostgres = "INSERT INTO nonces (key, expires_at) SELECT * FROM unnest($1::text[], $2::bigint[]) " +
		"ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at < $3 RETURNING key"
)

// nonceStmt returns the batch insert prepared on the write pool. Only the nonce loop uses it, so it is
// prepared there on first use, without a lock.
func (db *DB) nonceStmt() (*sql.Stmt, error) {
	if db.nonceInsert != nil {
		return db.nonceInsert, nil
	}
	query := nonceInsertSQLite
	if db.dialect == Postgres {
		query = noncesInsertPostgres
	}
	st, err := db.nonceDB().Prepare(query)
	if err != nil {
		return nil, err
	}
	db.nonceInsert = st
	return st, nil
}

// nonceBatchJSON encodes keys and expiry times as the JSON array of pairs the SQLite statement reads.
func nonceBatchJSON(keys []string, expires []int64) ([]byte, error) {
	b := make([]byte, 0, 64*len(keys))
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b = append(b, '[')
		b = append(b, kb...)
		b = append(b, ',')
		b = strconv.AppendInt(b, expires[i], 10)
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// purgeChunk bounds how many nonces one statement of PurgeNonces deletes.
const purgeChunk = 2000

// PurgeNonces deletes the nonces that expired before t, purgeChunk at a time. Nonces are keyed by random
// strings, so deleting a minute's worth (tens of thousands at a few hundred signed requests a second) touches
// most pages of the table: in one statement that held SQLite's one nonce connection for most of a second,
// and every signed request waited behind it. In chunks, the group commits of UseNonce queue between them.
func (db *DB) PurgeNonces(ctx context.Context, t time.Time) (int64, error) {
	var total int64
	for {
		res, err := db.nonceDB().ExecContext(ctx, db.q("DELETE FROM nonces WHERE key IN"+
			" (SELECT key FROM nonces WHERE expires_at < ? LIMIT ?)"), millis(t), purgeChunk)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < purgeChunk {
			return total, nil
		}
	}
}

// NonceFileSuffix names SQLite's nonce database: the main database's path with this appended
// (DATA_DIR/sluice.db-nonces), with its own -wal and -shm files beside it. Keep it with the main file.
const NonceFileSuffix = "-nonces"

// nonceFileSchema is the nonce database's one table, the same as the main database's nonces table.
const nonceFileSchema = `CREATE TABLE IF NOT EXISTS nonces (
    key        TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);`

// nonceDB is where nonces are recorded. On SQLite it is a database file of its own: every signed request
// commits a nonce, and a commit to the main file would make every reader connection drop its page cache
// (a WAL reader starts over when the log has changed) and read the pages of users, projects and members
// again for the next request, about a third of a signed listing's time. The nonce file is as durable as
// the main one (WAL, the same synchronous setting), and the main file keeps its nonces table, empty, for
// older servers. Its connection holds it in exclusive locking mode, so no other process can read it while
// the server runs.
func (db *DB) nonceDB() *sql.DB {
	if db.n != nil {
		return db.n
	}
	return db.w
}

// openNonces prepares SQLite's nonce file: first it moves the nonces a server before the nonce file
// recorded in the main database's table into it, so that a request accepted just before an upgrade is
// still refused as a replay after it; then the nonce file's own connection takes the file, exclusively.
func (db *DB) openNonces(ctx context.Context) error {
	if db.n == nil {
		return nil
	}
	if err := db.moveNonces(ctx); err != nil {
		return fmt.Errorf("move nonces to %s: %w", db.nonceFile, err)
	}
	if _, err := db.n.ExecContext(ctx, nonceFileSchema); err != nil {
		return fmt.Errorf("open nonces %s: %w", db.nonceFile, err)
	}
	return nil
}

// moveNonces moves the main database's nonces into the nonce file, through the main writer connection
// with the nonce file attached (before the nonce file's own connection holds it).
func (db *DB) moveNonces(ctx context.Context) error {
	var one int
	err := db.w.QueryRowContext(ctx, "SELECT 1 FROM nonces LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	conn, err := db.w.Conn(ctx) // ATTACH holds for one connection only
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS nonce_file", db.nonceFile); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "DETACH DATABASE nonce_file")
	schema := strings.ReplaceAll(strings.ReplaceAll(nonceFileSchema, "EXISTS nonces ", "EXISTS nonce_file.nonces "),
		"EXISTS nonces_expiry", "EXISTS nonce_file.nonces_expiry")
	for _, q := range []string{"BEGIN IMMEDIATE", schema,
		"INSERT INTO nonce_file.nonces (key, expires_at) SELECT key, expires_at FROM main.nonces WHERE true " +
			"ON CONFLICT (key) DO UPDATE SET expires_at = max(nonce_file.nonces.expires_at, excluded.expires_at)",
		"DELETE FROM main.nonces", "COMMIT"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
			return err
		}
	}
	return nil
}
