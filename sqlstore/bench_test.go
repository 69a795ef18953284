package sqlstore_test

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
)

func benchDB(b *testing.B) (*sqlstore.DB, *sluice.User) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	a := &sluice.Account{Name: "a"}
	db.CreateAccount(ctx, a)
	u := &sluice.User{AccountID: a.ID, Name: "u", Role: sluice.UserMember}
	db.CreateUser(ctx, u)
	for i := 0; i < 3; i++ {
		p := &sluice.Project{Name: "proj" + strconv.Itoa(i), UUID: strconv.Itoa(i), AccountID: a.ID, OwnerID: u.ID}
		if err := db.CreateProject(ctx, p, &sluice.Member{UserID: u.ID, Role: sluice.RoleOwner}); err != nil {
			b.Fatal(err)
		}
	}
	return db, u
}

// BenchmarkUseNonce measures the group-committed nonce write under concurrent callers.
func BenchmarkUseNonce(b *testing.B) {
	db, _ := benchDB(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := db.UseNonce(context.Background(), "k"+strconv.FormatInt(n.Add(1), 10), time.Now().Add(time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFindProjects measures a member's project listing.
func BenchmarkFindProjects(b *testing.B) {
	db, u := benchDB(b)
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := db.FindProjects(context.Background(), sluice.ProjectFilter{MemberID: &u.ID, Limit: 10}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
