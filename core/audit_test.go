package core_test

import (
	"context"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// TestService_Audit: the core records its changes with who made them, and decides in one place who reads
// the log: account admins all of their account's, project owners and admins their project's.
func TestService_Audit(t *testing.T) {
	s, _ := mustOpen(t)
	ctx := context.Background()
	rootKey, err := s.Bootstrap(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, root, err := s.Authenticate(ctx, rootKey.ID)
	if err != nil {
		t.Fatal(err)
	}
	signed := func(u *sluice.User, key, req string) context.Context {
		ctx := sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u, AccessKeyID: key})
		return sluice.NewContextWithRequestID(ctx, req)
	}
	alice, err := s.CreateUser(signed(root, rootKey.ID, "req-alice"), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := s.CreateUser(as(root), "bob", "")
	carol, _ := s.CreateUser(as(root), "carol", "")

	p, err := s.CreateProject(signed(alice, "LTAIalice", "req-p"), sluice.ProjectCreate{Name: "audited"})
	if err != nil {
		t.Fatal(err)
	}
	ref := sluice.ProjectByName("audited")
	if _, err := s.PutMember(as(alice), ref, "bob", sluice.RoleDeveloper); err != nil { // a console change: no key
		t.Fatal(err)
	}
	if _, err := s.PutMember(as(alice), ref, "carol", sluice.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	// A refused change records nothing.
	_, err = s.PutMember(as(bob), ref, "carol", sluice.RoleViewer)
	wantCode(t, err, sluice.EFORBIDDEN)

	t.Run("Who", func(t *testing.T) {
		es, _, err := s.FindAudit(as(root), sluice.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		byOp := map[string]*sluice.AuditEntry{}
		for _, e := range es {
			if byOp[e.Operation] == nil {
				byOp[e.Operation] = e // newest first
			}
		}
		if e := byOp["CreateUser"]; e == nil || e.UserName != "root" {
			t.Fatalf("CreateUser entry = %+v", e)
		}
		if e := byOp["CreateProject"]; e == nil || e.UserName != "alice" || e.AccessKeyID != "LTAIalice" || e.RequestID != "req-p" ||
			e.ProjectID != p.ID || e.ProjectName != "audited" || e.ObjectID == "" {
			t.Fatalf("CreateProject entry = %+v", e)
		}
		if e := byOp["PutMember"]; e == nil || e.AccessKeyID != sluice.ConsoleKey || e.ObjectName != "carol" || e.Detail != "role admin" {
			t.Fatalf("PutMember entry = %+v", e)
		}
		n := 0
		for _, e := range es {
			if e.Operation == "PutMember" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("PutMember entries = %d, want 2 (the refused change records nothing)", n)
		}
	})
	t.Run("ProjectAdminsReadTheirProject", func(t *testing.T) {
		es, _, err := s.FindAudit(as(carol), sluice.AuditQuery{Project: "audited"})
		if err != nil || len(es) != 3 {
			t.Fatalf("carol reads %d entries, %v; want 3", len(es), err)
		}
		es, _, err = s.FindAudit(as(alice), sluice.AuditQuery{Project: "audited", Operation: "PutMember"})
		if err != nil || len(es) != 2 {
			t.Fatalf("alice reads %d PutMember entries, %v; want 2", len(es), err)
		}
	})
	t.Run("ErrDevelopers", func(t *testing.T) {
		_, _, err := s.FindAudit(as(bob), sluice.AuditQuery{Project: "audited"})
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ErrWholeLogNeedsAdmin", func(t *testing.T) {
		_, _, err := s.FindAudit(as(carol), sluice.AuditQuery{})
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ErrAnonymous", func(t *testing.T) {
		_, _, err := s.FindAudit(ctx, sluice.AuditQuery{})
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
	t.Run("ErrBadQuery", func(t *testing.T) {
		_, _, err := s.FindAudit(as(root), sluice.AuditQuery{Limit: 5000})
		wantCode(t, err, sluice.EINVALID)
		now := time.Now()
		_, _, err = s.FindAudit(as(root), sluice.AuditQuery{Since: now, Until: now.Add(-time.Hour)})
		wantCode(t, err, sluice.EINVALID)
	})
	t.Run("AccountAdminsReadEveryProject", func(t *testing.T) {
		es, _, err := s.FindAudit(as(root), sluice.AuditQuery{Project: "audited", User: "alice"})
		if err != nil || len(es) != 3 {
			t.Fatalf("root reads %d of alice's entries in the project, %v; want 3", len(es), err)
		}
	})
}
