package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockID is the PostgreSQL advisory lock that serialises servers migrating one database.
const migrationLockID = 0x5107ce

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's migrations in order. Files are named NNNN_name.<dialect>.sql.
func migrations(d Dialect) ([]migration, error) {
	entries, err := fs.Glob(migrationFiles, "migrations/*."+string(d)+".sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, path := range entries {
		base := strings.TrimPrefix(path, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		data, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the migrations not yet recorded in schema_migrations, all in one transaction. On
// PostgreSQL an advisory lock makes concurrent starts wait for each other; on SQLite the IMMEDIATE write
// transaction does the same.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(migrationLockID)); err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var current int
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		for _, m := range ms {
			if m.version <= current {
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, millis(tx.now)); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
		}
		if n := len(ms); n > 0 && current > ms[n-1].version {
			return fmt.Errorf("database schema version %d is newer than this server (%d): upgrade the server", current, ms[n-1].version)
		}
		return nil
	})
}
