package core

import (
	"context"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

var _ sluice.AuditService = (*Service)(nil)

// audited returns ctx carrying the audit entry e of a change the caller in ctx makes in project p (nil: a
// change outside projects, such as a user's or a key's). It fills in who (the caller, its access key or
// "console") and the request id. Every mutating service method passes the context it returns to the one
// store call that makes the change, and only to that call: the store writes e in that call's transaction
// (sluice.WithAudit), so the change and its record commit or roll back together, and a change that also
// makes lesser transactions (job bookkeeping, blob clean-up) records once.
func audited(ctx context.Context, p *sluice.Project, e *sluice.AuditEntry) context.Context {
	if c := sluice.CallerFromContext(ctx); c != nil && c.User != nil {
		e.AccountID, e.UserID, e.UserName = c.User.AccountID, c.User.ID, c.User.Name
		e.AccessKeyID = c.AccessKeyID
		if e.AccessKeyID == "" {
			e.AccessKeyID = sluice.ConsoleKey // a console session signs no request: it has no key
		}
	}
	if p != nil {
		e.ProjectID, e.ProjectName = p.ID, p.Name
		if e.AccountID == 0 {
			e.AccountID = p.AccountID
		}
	}
	e.RequestID = sluice.RequestIDFromContext(ctx)
	return sluice.WithAudit(ctx, e)
}

// entry is a shorthand for the usual audit entry.
func entry(op, kind, name string, id any, detail string) *sluice.AuditEntry {
	e := &sluice.AuditEntry{Operation: op, ObjectKind: kind, ObjectName: name, Detail: detail}
	switch v := id.(type) {
	case int64:
		if v != 0 {
			e.ObjectID = strconv.FormatInt(v, 10)
		}
	case string:
		e.ObjectID = v
	}
	return e
}

// maxAuditPage bounds one page of the audit log.
const maxAuditPage = 1000

// FindAudit reads the audit log. This is the one place that decides who may read it: an account admin
// reads every entry of its account; a project's owners and admins (and account admins) read that
// project's entries, which they must then name; nobody reads another account's entries.
func (s *Service) FindAudit(ctx context.Context, q sluice.AuditQuery) ([]*sluice.AuditEntry, int64, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	if q.Limit < 0 || q.Limit > maxAuditPage {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The limit %d is out of range: use 1 to %d.", q.Limit, maxAuditPage)
	}
	if q.Marker < 0 {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The marker %d is invalid.", q.Marker)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The time range is empty: since must be before until.")
	}
	f := sluice.AuditFilter{AccountID: u.AccountID, UserName: q.User, Operation: q.Operation,
		Since: q.Since, Until: q.Until, Marker: q.Marker, Limit: q.Limit}
	if f.Limit == 0 {
		f.Limit = 100
	}
	switch {
	case q.Project != "":
		p, err := s.Authorize(ctx, projectRef(q.Project), sluice.Manage)
		if err != nil {
			return nil, 0, err
		}
		f.ProjectID = p.ID
	case !u.IsAdmin():
		return nil, 0, sluice.Errorf(sluice.EFORBIDDEN, "Only account admins read the whole audit log; project owners and admins name their project.")
	}
	return s.store.FindAudit(ctx, f)
}

// projectRef names a project by name, by 32-hex-digit UUID or by decimal id.
func projectRef(s string) sluice.ProjectRef {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		return sluice.ProjectByID(id)
	}
	if len(s) == 32 && strings.Trim(s, "0123456789abcdef") == "" {
		return sluice.ProjectByUUID(s)
	}
	return sluice.ProjectByName(s)
}
