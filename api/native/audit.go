package native

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sluice-dev/sluice"
)

// AuditEntry is one change of the audit log.
type AuditEntry struct {
	ID          int64     `json:"id"`
	Time        time.Time `json:"time"`
	UserID      int64     `json:"userId"`
	User        string    `json:"user"`
	AccessKeyID string    `json:"accessKeyId"` // "console" for a console session
	RequestID   string    `json:"requestId"`
	Operation   string    `json:"operation"`
	ProjectID   int64     `json:"projectId,omitempty"`
	Project     string    `json:"project,omitempty"`
	ObjectKind  string    `json:"objectKind,omitempty"`
	ObjectName  string    `json:"objectName,omitempty"`
	ObjectID    string    `json:"objectId,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// AuditQuery filters the audit log; zero fields do not filter.
type AuditQuery struct {
	Project, User, Operation string
	Since, Until             time.Time
	Limit                    int
	Marker                   string
}

// listAudit serves GET /sluice/v1/audit?project=&user=&operation=&since=&until=&limit=&marker=. Times
// are RFC 3339 or integer milliseconds since the epoch. Who may read what is the core's decision.
func (s *server) listAudit(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	svc, ok := s.Identity.(sluice.AuditService)
	if !ok {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "This server keeps no audit log.")
	}
	v := r.URL.Query()
	q := sluice.AuditQuery{Project: v.Get("project"), User: v.Get("user"), Operation: v.Get("operation")}
	var err error
	if q.Since, err = auditTime(v, "since"); err != nil {
		return nil, err
	}
	if q.Until, err = auditTime(v, "until"); err != nil {
		return nil, err
	}
	if q.Limit, err = auditInt(v, "limit"); err != nil {
		return nil, err
	}
	marker, err := auditInt(v, "marker")
	if err != nil {
		return nil, err
	}
	q.Marker = int64(marker)
	es, next, err := svc.FindAudit(ctx, q)
	if err != nil {
		return nil, err
	}
	p := Page[AuditEntry]{Items: make([]AuditEntry, 0, len(es)), TotalCount: len(es)}
	for _, e := range es {
		p.Items = append(p.Items, AuditEntry{ID: e.ID, Time: e.Time, UserID: e.UserID, User: e.UserName, AccessKeyID: e.AccessKeyID,
			RequestID: e.RequestID, Operation: e.Operation, ProjectID: e.ProjectID, Project: e.ProjectName,
			ObjectKind: e.ObjectKind, ObjectName: e.ObjectName, ObjectID: e.ObjectID, Detail: e.Detail})
	}
	if next > 0 {
		p.NextMarker = strconv.FormatInt(next, 10)
	}
	return p, nil
}

func auditTime(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms >= 0 {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, sluice.Errorf(sluice.EINVALID, "The %s time %q is invalid: use RFC 3339 (2006-01-02T15:04:05Z) or milliseconds since the epoch.", name, s)
	}
	return t, nil
}

func auditInt(v url.Values, name string) (int, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, sluice.Errorf(sluice.EINVALID, "The %s %q is invalid: use a non-negative integer.", name, s)
	}
	return n, nil
}

// ListAudit reads one page of the audit log, newest first; Page.NextMarker, passed back as q.Marker,
// reads the next.
func (c *Client) ListAudit(ctx context.Context, q AuditQuery) (Page[AuditEntry], error) {
	v := url.Values{}
	for name, val := range map[string]string{"project": q.Project, "user": q.User, "operation": q.Operation, "marker": q.Marker} {
		if val != "" {
			v.Set(name, val)
		}
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.UTC().Format(time.RFC3339Nano))
	}
	if !q.Until.IsZero() {
		v.Set("until", q.Until.UTC().Format(time.RFC3339Nano))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var p Page[AuditEntry]
	return p, c.do(ctx, "GET", "ListAudit", "/sluice/v1/audit", v, nil, &p)
}
