package sluice

import (
	"context"
	"time"
)

// AuditEntry records one change: who made it, when, what it changed and the request that made it. The
// core builds an entry for every change and attaches it to the change's context (WithAudit); the store
// writes it in the change's own transaction, so a change and its record commit or roll back together.
type AuditEntry struct {
	ID          int64
	Time        time.Time // set by the store: the change's transaction time
	AccountID   int64     // the caller's account: account admins read their account's entries
	UserID      int64
	UserName    string
	AccessKeyID string // the signing key, or "console" for a console session
	RequestID   string
	Operation   string // the service operation, e.g. "CreateFile", "PutMember"
	ProjectID   int64  // 0: not about a project (users, access keys)
	ProjectName string
	ObjectKind  string // "file", "folder", "resource", "member", "user", "access_key", ...
	ObjectName  string
	ObjectID    string
	Detail      string // a short description, at most AuditDetailMax characters

	// Fill, when set, is called after the change succeeded and before its transaction commits, to complete
	// the entry with what is known only after the write (an object's new id). It is not stored.
	Fill func(e *AuditEntry) `json:"-"`

	written bool // set once the entry has committed, so a change of several transactions records once
}

// AuditDetailMax bounds AuditEntry.Detail; longer details are cut.
const AuditDetailMax = 512

// ConsoleKey is AuditEntry.AccessKeyID for a change made through the console, which signs no request.
const ConsoleKey = "console"

// AuditFilter selects audit entries. Zero fields do not filter. Entries come newest first; Marker is the ID
// of the last entry of the previous page (entries with smaller IDs follow).
type AuditFilter struct {
	AccountID int64
	ProjectID int64
	UserID    int64
	UserName  string
	Operation string
	Since     time.Time // inclusive
	Until     time.Time // exclusive
	Marker    int64
	Limit     int
}

// AuditStore keeps audit entries. Entries are written by the store's write transactions (see WithAudit),
// never on their own.
type AuditStore interface {
	// FindAudit returns the entries f selects, newest first, at most f.Limit of them, and the marker of the
	// next page ("" is 0: no more).
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int64, error)
}

// AuditQuery is what a caller asks of the audit log.
type AuditQuery struct {
	Project   string // a project name, UUID or id; "" is every project the caller may audit
	User      string // a user name
	Operation string
	Since     time.Time
	Until     time.Time
	Marker    int64
	Limit     int
}

// AuditService reads the audit log on behalf of the caller in ctx.
type AuditService interface {
	// FindAudit returns entries newest first and the marker of the next page (0: none). Account admins read
	// everything in their account, project owners and admins their project's entries.
	FindAudit(ctx context.Context, q AuditQuery) ([]*AuditEntry, int64, error)
}

const auditKey contextKey = 100

// WithAudit returns a context whose next committed write transaction records e. Only the first
// transaction that commits under the context records it: a change made of several transactions records
// once, in the first that commits (the core attaches the entry only to the store call that makes the
// change itself).
func WithAudit(ctx context.Context, e *AuditEntry) context.Context {
	return context.WithValue(ctx, auditKey, e)
}

// AuditFromContext returns the entry a write transaction under ctx must record, or nil: none, or one
// already recorded.
func AuditFromContext(ctx context.Context) *AuditEntry {
	e, _ := ctx.Value(auditKey).(*AuditEntry)
	if e == nil || e.written {
		return nil
	}
	return e
}

// MarkAuditWritten notes that e's transaction committed, so later transactions under the same context do
// not record it again.
func MarkAuditWritten(e *AuditEntry) { e.written = true }
