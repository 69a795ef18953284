package core_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/sqlstore"
)

func mustOpen(t testing.TB) (*core.Service, *sqlstore.DB) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	box, _ := seal.New(bytes.Repeat([]byte{1}, seal.KeySize))
	s := core.New(db, box)
	if err := s.CheckMasterKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, db
}

func as(u *sluice.User) context.Context {
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := sluice.ErrorCode(err); got != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func TestBootstrap(t *testing.T) {
	s, db := mustOpen(t)
	ctx := context.Background()
	k, err := s.Bootstrap(ctx, "", "")
	if err != nil || k == nil || k.Secret == "" || len(k.ID) != 24 {
		t.Fatalf("first bootstrap = %+v, %v", k, err)
	}
	k2, err := s.Bootstrap(ctx, "", "")
	if err != nil || k2 != nil {
		t.Fatalf("second bootstrap made a key: %+v, %v", k2, err)
	}
	got, u, err := s.Authenticate(ctx, k.ID)
	if err != nil || got.Secret != k.Secret || u.Role != sluice.UserRoot {
		t.Fatalf("Authenticate = %+v %+v %v", got, u, err)
	}
	stored, _ := db.FindAccessKey(ctx, k.ID)
	if bytes.Contains(stored.SealedSecret, []byte(k.Secret)) {
		t.Fatal("the secret is stored in clear")
	}
	t.Run("GivenKey", func(t *testing.T) {
		if _, err := s.Bootstrap(ctx, "LTAIgiven", "secret1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Bootstrap(ctx, "LTAIgiven", "secret1"); err != nil {
			t.Fatal("repeat with the same key:", err)
		}
		if _, err := s.Bootstrap(ctx, "LTAIgiven", "other"); err == nil {
			t.Fatal("a different secret for an existing key was accepted")
		}
	})
	t.Run("ErrWrongMasterKey", func(t *testing.T) {
		other, _ := seal.New(bytes.Repeat([]byte{2}, seal.KeySize))
		if err := core.New(db, other).CheckMasterKey(ctx); err == nil {
			t.Fatal("a second master key was accepted")
		}
	})
}

func TestService_Projects(t *testing.T) {
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
	alice, err := s.CreateUser(as(root), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := s.CreateUser(as(root), "bob", "")
	carol, _ := s.CreateUser(as(root), "carol", sluice.UserAdmin)

	t.Run("ErrNotAdmin", func(t *testing.T) {
		_, err := s.CreateUser(as(alice), "mallory", "")
		wantCode(t, err, sluice.EFORBIDDEN)
		_, err = s.CreateAccessKey(as(alice), "alice")
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ErrAnonymous", func(t *testing.T) {
		_, err := s.CreateProject(ctx, sluice.ProjectCreate{Name: "anon"})
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
	t.Run("ErrBadName", func(t *testing.T) {
		for _, name := range []string{"", "ab", "1abc", "a-b-c", "abcdefghijklmnopqrstuvwxyz123", "名字项目"} {
			_, err := s.CreateProject(as(alice), sluice.ProjectCreate{Name: name})
			wantCode(t, err, sluice.EINVALID)
		}
	})

	p, err := s.CreateProject(as(alice), sluice.ProjectCreate{Name: "sales_dw", Comment: "sales"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.UUID) != 32 || p.OwnerName != "alice" || p.DisplayName != "sales_dw" {
		t.Fatalf("project = %+v", p)
	}
	ref := sluice.ProjectByName("sales_dw")

	t.Run("OnlyMembersSee", func(t *testing.T) {
		_, err := s.FindProject(as(bob), ref)
		wantCode(t, err, sluice.EFORBIDDEN)
		list, total, err := s.FindProjects(as(bob), sluice.ProjectFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("bob sees %v (%d)", list, total)
		}
		list, total, _ = s.FindProjects(as(alice), sluice.ProjectFilter{})
		if total != 1 || list[0].ID != p.ID {
			t.Fatalf("alice sees %v", list)
		}
		// An outsider is told the same of a project that exists and one that does not, naming neither.
		_, missing := s.FindProject(as(alice), sluice.ProjectByName("nothere"))
		wantCode(t, missing, sluice.EFORBIDDEN)
		if _, err := s.FindProject(as(bob), ref); err.Error() != missing.Error() || strings.Contains(err.Error(), "sales_dw") {
			t.Errorf("bob is told %q of sales_dw, %q of a missing project", err, missing)
		}
	})
	t.Run("ViewerReadsOnly", func(t *testing.T) {
		if _, err := s.PutMember(as(alice), ref, "bob", sluice.RoleViewer); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindProject(as(bob), sluice.ProjectByUUID(p.UUID)); err != nil {
			t.Fatal(err)
		}
		_, err := s.Authorize(as(bob), ref, sluice.Write)
		wantCode(t, err, sluice.EFORBIDDEN)
		wantCode(t, s.DeleteProject(as(bob), ref), sluice.EFORBIDDEN)
		_, err = s.PutMember(as(bob), ref, "bob", sluice.RoleOwner)
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("AdminCannotTouchOwners", func(t *testing.T) {
		if _, err := s.PutMember(as(alice), ref, "bob", sluice.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		_, err := s.PutMember(as(bob), ref, "bob", sluice.RoleOwner)
		wantCode(t, err, sluice.EFORBIDDEN)
		wantCode(t, s.DeleteMember(as(bob), ref, "alice"), sluice.EFORBIDDEN)
		if _, err := s.PutMember(as(bob), ref, "carol", sluice.RoleDeveloper); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("KeepsAnOwner", func(t *testing.T) {
		wantCode(t, s.DeleteMember(as(alice), ref, "alice"), sluice.ECONFLICT)
		_, err := s.PutMember(as(alice), ref, "alice", sluice.RoleViewer)
		wantCode(t, err, sluice.ECONFLICT)
	})
	t.Run("AccountAdminManagesWithoutMembership", func(t *testing.T) {
		q, err := s.CreateProject(as(alice), sluice.ProjectCreate{Name: "private_p"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.FindProject(as(carol), sluice.ProjectByID(q.ID))
		wantCode(t, err, sluice.EFORBIDDEN)
		if _, err := s.PutMember(as(carol), sluice.ProjectByID(q.ID), "carol", sluice.RoleOwner); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindProject(as(carol), sluice.ProjectByID(q.ID)); err != nil {
			t.Fatal(err)
		}
		// Being a member with a low role takes nothing away from an account admin.
		r, err := s.CreateProject(as(alice), sluice.ProjectCreate{Name: "viewed_p"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutMember(as(alice), sluice.ProjectByID(r.ID), "carol", sluice.RoleViewer); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutMember(as(carol), sluice.ProjectByID(r.ID), "bob", sluice.RoleDeveloper); err != nil {
			t.Fatalf("admin with a viewer role: %v", err)
		}
		_, err = s.Authorize(as(carol), sluice.ProjectByID(r.ID), sluice.Write)
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("OwnerDeletes", func(t *testing.T) {
		if err := s.DeleteProject(as(alice), ref); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindProject(as(alice), ref)
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("KeyDisableIsImmediate", func(t *testing.T) {
		k, err := s.CreateAccessKey(as(root), "alice")
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Authenticate(ctx, k.ID)
		if err != nil || !got.Enabled {
			t.Fatalf("Authenticate = %+v, %v", got, err)
		}
		if err := s.SetAccessKeyEnabled(as(root), k.ID, false); err != nil {
			t.Fatal(err)
		}
		got, _, err = s.Authenticate(ctx, k.ID)
		if err != nil || got.Enabled {
			t.Fatalf("after disable: %+v, %v", got, err)
		}
		if err := s.DeleteAccessKey(as(root), k.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.Authenticate(ctx, k.ID)
		wantCode(t, err, sluice.ENOTFOUND)
	})
	t.Run("KeysOfNobody", func(t *testing.T) {
		keys, err := s.FindAccessKeys(as(root), "nobody")
		if err != nil || len(keys) != 0 {
			t.Fatalf("keys of a user who does not exist = %v, %v; want none", keys, err)
		}
	})
}
