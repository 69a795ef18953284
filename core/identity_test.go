package core_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
)

// FindUser is open to members, within their account, by name first and then by id.
func TestService_FindUser(t *testing.T) {
	s, db := mustOpen(t)
	ctx := context.Background()
	if _, err := s.Bootstrap(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	root, err := db.FindUserByName(ctx, core.RootUser)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := s.CreateUser(as(root), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateUser(as(root), "bob", "")
	if err != nil {
		t.Fatal(err)
	}
	// A user whose name is another user's id: the name wins.
	digits, err := s.CreateUser(as(root), strconv.FormatInt(alice.ID, 10), "")
	if err != nil {
		t.Fatal(err)
	}
	other := &sluice.Account{Name: "other"}
	if err := db.CreateAccount(ctx, other); err != nil {
		t.Fatal(err)
	}
	stranger := &sluice.User{AccountID: other.ID, Name: "stranger", Role: sluice.UserMember}
	if err := db.CreateUser(ctx, stranger); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		for ref, want := range map[string]int64{"alice": alice.ID, strconv.FormatInt(bob.ID, 10): bob.ID, strconv.FormatInt(alice.ID, 10): digits.ID} {
			if u, err := s.FindUser(as(bob), ref); err != nil || u.ID != want {
				t.Errorf("FindUser(%q) = %+v, %v; want id %d", ref, u, err, want)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, ref := range []string{"nobody", "stranger", strconv.FormatInt(stranger.ID, 10), "999999", "-1"} {
			_, err := s.FindUser(as(bob), ref)
			wantCode(t, err, sluice.ENOTFOUND)
		}
		// The stranger's account is no more visible from the other side.
		_, err := s.FindUser(as(stranger), "alice")
		wantCode(t, err, sluice.ENOTFOUND)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := s.FindUser(ctx, "alice")
		wantCode(t, err, sluice.EUNAUTHENTICATED)
	})
}
