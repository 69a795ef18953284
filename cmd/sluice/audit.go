package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/native"
)

// newAuditCommand returns `sluice audit`: the audit log of changes, newest first. Account admins read
// their account's; project owners and admins name their project.
func newAuditCommand() *cobra.Command {
	flags := &clientFlags{}
	var q native.AuditQuery
	var since, until string
	limit := 100
	cmd := clientCommand(flags, "audit", "Show the audit log: who changed what, when, and the request id", cobra.NoArgs,
		func(cmd *cobra.Command, cl *native.Client, _ []string) error {
			var err error
			now := time.Now()
			if q.Since, err = parseAuditTime(since, now); err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			if q.Until, err = parseAuditTime(until, now); err != nil {
				return fmt.Errorf("--until: %w", err)
			}
			if limit < 1 {
				return errors.New("--limit must be at least 1")
			}
			// The server pages at most 1000 entries at a time; --limit is how many to show in all.
			entries := []native.AuditEntry{}
			for len(entries) < limit {
				q.Limit = min(limit-len(entries), 1000)
				p, err := cl.ListAudit(cmd.Context(), q)
				if err != nil {
					return err
				}
				entries = append(entries, p.Items...)
				if p.NextMarker == "" {
					break
				}
				q.Marker = p.NextMarker
			}
			return flags.print(cmd.OutOrStdout(), entries, auditHeaders, auditRows(entries))
		})
	f := cmd.Flags()
	f.StringVarP(&q.Project, "project", "p", "", "only this project's changes (name, numeric id or uuid); needed unless you are an account admin")
	f.StringVar(&q.User, "user", "", "only this user's changes (name)")
	f.StringVar(&q.Operation, "operation", "", "only this operation, e.g. CreateFile, SubmitFile, PutMember")
	f.StringVar(&since, "since", "", "changes at or after TIME: RFC 3339, a date (2006-01-02), or a duration ago (24h)")
	f.StringVar(&until, "until", "", "changes before TIME, as --since")
	f.IntVar(&limit, "limit", limit, "show at most N entries")
	flags.register(cmd)
	return cmd
}

// parseAuditTime reads a time flag: RFC 3339, a local date, or a Go duration meaning that long before now.
func parseAuditTime(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339 (2006-01-02T15:04:05Z), a date (2006-01-02) or a duration (24h)", s)
}

var auditHeaders = []string{"TIME", "USER", "ACCESS KEY", "OPERATION", "PROJECT", "OBJECT", "DETAIL", "REQUEST ID"}

func auditRows(es []native.AuditEntry) [][]string {
	rows := make([][]string, 0, len(es))
	for _, e := range es {
		object := e.ObjectName
		if e.ObjectKind != "" {
			object = strings.TrimSpace(e.ObjectKind + " " + e.ObjectName)
		}
		if e.ObjectID != "" && e.ObjectID != e.ObjectName {
			object += " (" + e.ObjectID + ")"
		}
		user := e.User
		if user == "" {
			user = strconv.FormatInt(e.UserID, 10)
		}
		rows = append(rows, []string{ts(e.Time), user, e.AccessKeyID, e.Operation, e.Project, object, e.Detail, e.RequestID})
	}
	return rows
}
