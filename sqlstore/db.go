// Package sqlstore keeps Sluice's metadata in SQLite (modernc.org/sqlite, no cgo) or PostgreSQL (pgx). One set of
// queries serves both: they are written with ? placeholders and rebound for PostgreSQL, and the few real
// differences live in the dialect value and in the per-dialect migration files.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/envvar"
)

// Dialect names a supported database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a Sluice metadata store. It implements every store interface of package sluice.
type DB struct {
	dialect Dialect
	// SQLite allows one writer at a time: writes go through a one-connection pool whose transactions
	// begin IMMEDIATE (so two writers never deadlock upgrading a read lock), reads through a wider pool.
	// On PostgreSQL both are the same pool.
	w, r *sql.DB
	// n is SQLite's nonce database, a file of its own with its own one-connection writer pool (nil on
	// PostgreSQL, whose nonces are a table of the shared database); see nonceDB.
	n         *sql.DB
	nonceFile string // SQLite: the nonce database's path
	// wSlots and rSlots bound the transactions open at once on w and on r (one channel when they are the
	// same pool); see txSlots.
	wSlots, rSlots chan struct{}

	// Now is the store's clock, time.Now unless set: every time the store stamps on what it writes (through
	// Tx.now, one reading per transaction) and every time it compares against (nonce and job lease expiry)
	// comes from it, so that a test moving a clock of its own decides them all. Set it before the store is
	// used: it is read from several goroutines. Schema migrations, run by Open, stamp the wall clock's time.
	Now func() time.Time

	rebound sync.Map // query text with ? -> query text with $n
	stmts   sync.Map // query text -> *sql.Stmt prepared on the read pool

	trigrams trigramStats // SQLite: file-name trigram counts, see file_trigram.go

	nonces      chan nonceRequest // see UseNonce
	nonceInsert *sql.Stmt         // the nonce loop's statement, see nonceStmt
	quit        chan struct{}
	closeOnce   sync.Once
	loopDone    chan struct{}
}

var (
	_ sluice.IdentityStore = (*DB)(nil)
	_ sluice.ProjectStore  = (*DB)(nil)
	_ sluice.NonceStore    = (*DB)(nil)
	_ sluice.SettingStore  = (*DB)(nil)
	_ sluice.AuditStore    = (*DB)(nil)
)

// Open connects to the database named by dsn and applies the migrations. dsn is a PostgreSQL URL
// (postgres://... or postgresql://...), or a SQLite database: sqlite:PATH, file:PATH or a plain path.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err = openPostgres(dsn)
	default:
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.openNonces(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// The connection pools' sizes: PostgreSQL's one pool, and SQLite's readers beside its one writer.
const (
	postgresConns = 32
	sqliteReaders = 8
)

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(postgresConns)
	pool.SetMaxIdleConns(postgresConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := newDB(Postgres, pool, pool)
	db.wSlots = txSlots(postgresConns)
	db.rSlots = db.wSlots
	return db, nil
}

func openSQLite(dsn string) (*DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	path = strings.TrimPrefix(path, "//") // sqlite:///abs/path
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("open sqlite: empty database path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// WAL lets readers run beside the writer. synchronous=NORMAL in WAL mode loses nothing when the process
	// is killed (committed pages are in the OS's cache); only a power loss can drop the last transactions.
	// Use synchronous=FULL (SLUICE_SQLITE_SYNC=full) where that matters.
	sync := "NORMAL"
	if strings.EqualFold(os.Getenv(envvar.SQLiteSync), "full") {
		sync = "FULL"
	}
	// A WAL file keeps the size of the largest stretch between two checkpoints (a big transaction, or a long
	// read that held a checkpoint back); journal_size_limit cuts it back to 64 MiB when the log next restarts.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(" + sync + ")",
		"mmap_size(67108864)", "journal_size_limit(67108864)"} {
		q.Add("_pragma", p)
	}
	u := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", u+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Replay-protection nonces live in a database file of their own beside the main one (see nonceDB).
	// Its one connection holds the file in exclusive locking mode: no other connection ever opens it, and
	// so a commit takes no file locks and keeps its WAL index in memory instead of a shared -shm file,
	// several system calls fewer per commit. It checkpoints every 16,000 pages (64 MiB, the size
	// journal_size_limit keeps) instead of SQLite's 1,000: every nonce lands on a random leaf, so a
	// checkpoint writes back nearly every page the log holds and then fsyncs the file, which at 1,000 pages
	// came several times a second under load, held the nonce loop (and every signed request waiting on it)
	// for its duration, and spent a quarter of the loop's time. No reader waits on this file's log.
	nq := url.Values{"_pragma": append([]string{"locking_mode(EXCLUSIVE)", "wal_autocheckpoint(16000)"}, q["_pragma"]...)}
	n, err := sql.Open("sqlite", "file:"+path+NonceFileSuffix+"?"+nq.Encode()+"&_txlock=immediate")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite nonces: %w", err)
	}
	n.SetMaxOpenConns(1)
	n.SetMaxIdleConns(1)
	n.SetConnMaxLifetime(0)
	n.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", u)
	if err != nil {
		w.Close()
		n.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r.SetMaxOpenConns(sqliteReaders)
	r.SetMaxIdleConns(sqliteReaders)
	r.SetConnMaxIdleTime(0)
	db := newDB(SQLite, w, r)
	db.n, db.nonceFile = n, path+NonceFileSuffix
	db.wSlots, db.rSlots = txSlots(1), txSlots(sqliteReaders)
	return db, nil
}

func newDB(d Dialect, w, r *sql.DB) *DB {
	db := &DB{dialect: d, w: w, r: r, Now: time.Now,
		nonces: make(chan nonceRequest, 1024), quit: make(chan struct{}), loopDone: make(chan struct{})}
	go db.nonceLoop()
	return db
}

// Dialect reports which database db talks to.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the connection pools.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.quit) })
	<-db.loopDone
	if db.nonceInsert != nil {
		db.nonceInsert.Close()
	}
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.w.Close()
	if db.n != nil {
		if err2 := db.n.Close(); err == nil {
			err = err2
		}
	}
	if db.r != db.w {
		if err2 := db.r.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Optimize refreshes the planner's statistics where they have drifted (SQLite's PRAGMA optimize, which
// analyzes only tables whose contents changed enough); PostgreSQL's autovacuum does this by itself.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.w.ExecContext(ctx, "PRAGMA optimize")
	return err
}

// q rewrites a query written with ? placeholders for the dialect. Queries never hold a literal '?'.
func (db *DB) q(query string) string {
	if db.dialect != Postgres {
		return query
	}
	if s, ok := db.rebound.Load(query); ok {
		return s.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	s := b.String()
	db.rebound.Store(query, s)
	return s
}

// Tx is a write transaction. It carries one timestamp so everything it writes agrees on the time.
type Tx struct {
	db  *DB
	tx  *sql.Tx
	now time.Time
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.db.q(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.q(query), args...)
}

// txSlots makes the bound of the transactions open at once on a pool of conns connections: one fewer than
// its connections. A transaction holds its connection to its end, and the code that runs inside one also
// reads through the pool (the core authorises the objects a catalogue statement names as it meets them,
// with the caller's membership read outside the transaction). Were every connection held by a transaction,
// those reads would wait for a connection that only their own transactions' ends could free: the server
// would stop answering until the clients gave up. A connection that no transaction may take lets every
// such read finish, and so every transaction. A pool of one connection (SQLite's writer) runs one
// transaction at a time whatever the bound, and nothing inside it may use that pool.
func txSlots(conns int) chan struct{} { return make(chan struct{}, max(conns-1, 1)) }

// beginTx begins a transaction on pool once one of its slots is free; release gives the slot back and is
// called after the transaction's commit or rollback.
func beginTx(ctx context.Context, pool *sql.DB, slots chan struct{}, opts *sql.TxOptions) (_ *sql.Tx, release func(), _ error) {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	release = func() { <-slots }
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		release()
		return nil, nil, err
	}
	return stx, release, nil
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, release, err := beginTx(ctx, db.w, db.wSlots, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer release()
	tx := &Tx{db: db, tx: stx, now: db.Now()}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return textError(err)
	}
	// The change's audit entry, if the core attached one, is written in the change's own transaction:
	// both commit or neither does.
	e := sluice.AuditFromContext(ctx)
	if e != nil {
		if err := tx.writeAudit(ctx, e); err != nil {
			stx.Rollback()
			return textError(fmt.Errorf("audit: %w", err))
		}
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if e != nil {
		sluice.MarkAuditWritten(e)
	}
	return nil
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.w.ExecContext(ctx, db.q(query), args...)
	return res, textError(err)
}

// prepared returns the read pool's prepared statement for query, preparing it on first use. Parsing a
// statement costs more than running the small queries Sluice makes, so reads reuse their statements.
// The cache holds one entry per distinct query text, which the code writes as constants.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.r.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, textError(err)
}

// row is a *sql.Row, or the error of preparing its statement.
type row struct {
	row *sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return textError(r.row.Scan(dest...))
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) row {
	st, err := db.prepared(ctx, query)
	if err != nil {
		return row{err: err}
	}
	return row{row: st.QueryRowContext(ctx, args...)}
}

// millis and fromMillis convert times to the integer milliseconds every table stores, which keeps both
// databases free of time zones and equal to the millisecond timestamps the vendor APIs speak.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// isUnique reports a unique or primary-key violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// textError turns PostgreSQL's refusal of text it cannot hold — a NUL character, or bytes that are not
// UTF-8, which SQLite keeps — into the caller's mistake it is, EINVALID, rather than an internal error; any
// other error is returned as it is.
func textError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05") {
		return sluice.Errorf(sluice.EINVALID, "The request holds text that cannot be kept: a NUL character or bytes that are not UTF-8.")
	}
	return err
}

// isForeignKey reports a foreign-key violation.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error with a caller-safe message.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return sluice.Errorf(sluice.ENOTFOUND, format, args...)
	}
	return err
}

// checkAffected returns an ENOTFOUND error when a change touched no row.
func checkAffected(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sluice.Errorf(sluice.ENOTFOUND, format, args...)
	}
	return nil
}
