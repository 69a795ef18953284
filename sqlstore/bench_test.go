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

// BenchmarkFindResources lists a resource centre of 100,000 resources in 1,000 groups (the DLI list answers
// all of it at once; see docs/dli.md for the figures through the server).
func BenchmarkFindResources(b *testing.B) {
	db, _ := benchDB(b)
	ctx := context.Background()
	p, err := db.FindProject(ctx, sluice.ProjectByName("proj0"))
	if err != nil {
		b.Fatal(err)
	}
	for g := 0; g < 1000; g++ {
		rs := make([]*sluice.Resource, 100)
		for i := range rs {
			name := "lib-" + strconv.Itoa(i) + ".jar"
			rs[i] = &sluice.Resource{Name: name, Kind: sluice.KindJar, Status: sluice.UploadReady, Owner: "u",
				UnderlyingName: "0f6e3c1a-7b2d-4e5f-9a8b-1c2d3e4f5a6b_" + name, Source: "obs://bucket/libs/" + name,
				BlobKey: "resources/1/0f6e3c1a-7b2d-4e5f-9a8b-1c2d3e4f5a6b_" + name, Size: 1 << 20, SHA256: "ab"}
		}
		if _, err := db.CreateUpload(ctx, p.ID, &sluice.ResourceGroup{Name: "group-" + strconv.Itoa(g), Owner: "u"}, rs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs, gs, err := db.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID})
		if err != nil || len(rs) != 100000 || len(gs) != 1000 {
			b.Fatalf("%d resources, %d groups, %v", len(rs), len(gs), err)
		}
	}
}
