package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// listing is one paged listing: the statement counting everything its filter selects and the statement
// reading one page of it, each with its arguments (the page's without LIMIT and OFFSET, which listing adds).
// prepared says whether the texts are the code's constants, worth keeping prepared on the read pool.
type listing struct {
	count, page         string
	countArgs, pageArgs []any
	limit, offset       int
	prepared            bool
}

// readListing returns the listing's exact count and calls scan with its page, both as of one moment: the two
// statements run in one read-only transaction (REPEATABLE READ on PostgreSQL; a SQLite read transaction is a
// snapshot), so a write landing between them cannot make the total disagree with the page it comes with (a
// page of five under a total of four). A page that starts at or past the total is not read.
func (db *DB) readListing(ctx context.Context, l listing, scan func(*sql.Rows) error) (total int, err error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, release, err := beginTx(ctx, db.r, db.rSlots, opts)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", textError(err))
	}
	defer release()
	defer tx.Rollback() // nothing to commit: the transaction only read
	if err := db.txQueryRow(ctx, tx, l.prepared, l.count, l.countArgs).Scan(&total); err != nil {
		return 0, err
	}
	if total <= l.offset {
		return total, nil
	}
	args := append(l.pageArgs[:len(l.pageArgs):len(l.pageArgs)], pageLimit(l.limit), l.offset)
	rows, err := db.txQuery(ctx, tx, l.prepared, l.page, args)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return 0, err
		}
	}
	return total, textError(rows.Err())
}

// txQuery runs query in tx, through the read pool's prepared statement when prepared (database/sql reuses
// the statement already prepared on the transaction's connection).
func (db *DB) txQuery(ctx context.Context, tx *sql.Tx, prepared bool, query string, args []any) (*sql.Rows, error) {
	if !prepared {
		rows, err := tx.QueryContext(ctx, db.q(query), args...)
		return rows, textError(err)
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		return nil, textError(err)
	}
	rows, err := tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	return rows, textError(err)
}

// txQueryRow is txQuery for one row.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, prepared bool, query string, args []any) row {
	if !prepared {
		return row{row: tx.QueryRowContext(ctx, db.q(query), args...)}
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		return row{err: textError(err)}
	}
	return row{row: tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)}
}
