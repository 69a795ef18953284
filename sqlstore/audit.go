package sqlstore

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

const auditColumns = "id, at, account_id, user_id, user_name, access_key_id, request_id, operation, project_id, project_name, " +
	"object_kind, object_name, object_id, detail"

// writeAudit inserts e in tx, after the change succeeded and before the transaction commits (see inTx).
func (tx *Tx) writeAudit(ctx context.Context, e *sluice.AuditEntry) error {
	if e.Fill != nil {
		e.Fill(e)
	}
	e.Detail = cut(e.Detail, sluice.AuditDetailMax)
	at := millis(tx.now)
	err := tx.queryRow(ctx, "INSERT INTO audit_log (at, account_id, user_id, user_name, access_key_id, request_id, operation, "+
		"project_id, project_name, object_kind, object_name, object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		at, e.AccountID, e.UserID, e.UserName, e.AccessKeyID, e.RequestID, e.Operation, e.ProjectID, e.ProjectName,
		e.ObjectKind, e.ObjectName, e.ObjectID, e.Detail).Scan(&e.ID)
	if err != nil {
		return err
	}
	e.Time = fromMillis(at)
	return nil
}

// cut shortens s to at most n characters, on a character boundary.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// FindAudit returns the entries f selects, newest first.
func (db *DB) FindAudit(ctx context.Context, f sluice.AuditFilter) ([]*sluice.AuditEntry, int64, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	// The query text varies only with which filters are set (a bounded set), so the prepared-statement
	// cache stays small; each filter has an index that leads with its column and ends with id.
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.AccountID != 0 {
		add("account_id = ?", f.AccountID)
	}
	if f.ProjectID != 0 {
		add("project_id = ?", f.ProjectID)
	}
	if f.UserID != 0 {
		add("user_id = ?", f.UserID)
	}
	if f.UserName != "" {
		add("user_name = ?", f.UserName)
	}
	if f.Operation != "" {
		add("operation = ?", f.Operation)
	}
	if !f.Since.IsZero() {
		add("at >= ?", millis(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", millis(f.Until))
	}
	if f.Marker > 0 {
		add("id < ?", f.Marker)
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit+1)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	entries := []*sluice.AuditEntry{}
	for rows.Next() {
		e := &sluice.AuditEntry{}
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.AccountID, &e.UserID, &e.UserName, &e.AccessKeyID, &e.RequestID, &e.Operation,
			&e.ProjectID, &e.ProjectName, &e.ObjectKind, &e.ObjectName, &e.ObjectID, &e.Detail); err != nil {
			return nil, 0, err
		}
		e.Time = fromMillis(at)
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].ID
	}
	return entries, next, nil
}
