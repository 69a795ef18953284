package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

func uploading(name, underlying string, tags ...sluice.Tag) *sluice.Resource {
	return &sluice.Resource{Name: name, Kind: sluice.KindJar, Status: sluice.UploadUploading, UnderlyingName: underlying,
		Owner: "alice", Source: "obs://bkt/" + name, BlobKey: "resources/" + underlying, Tags: tags}
}

// testResources: uploads create groups and replace resources by name, a copy's end is kept only for the
// upload it belongs to, deleting a group's last resource removes the group, owners and tags change.
func testResources(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	p := NewProject(t, db, "res", Seed(t, db, "alice", sluice.UserMember))

	version := func() int64 {
		t.Helper()
		v, err := db.ResourceVersion(ctx, p.ID)
		must(t, err)
		return v
	}
	moved := func(what string, before int64) int64 {
		t.Helper()
		after := version()
		if after <= before {
			t.Fatalf("%s left the resource version at %d", what, after)
		}
		return after
	}
	v := version()
	if v != 0 {
		t.Fatalf("version before any resource = %d", v)
	}
	g := &sluice.ResourceGroup{Name: "etl", Owner: "alice", Async: true}
	a, b := uploading("a.jar", "u1_a.jar", sluice.Tag{Key: "env", Value: "dev"}), uploading("b.py", "u1_b.py")
	job := &sluice.Job{Kind: "copy", Payload: `{"x":1}`}
	replaced, err := db.CreateUpload(ctx, p.ID, g, []*sluice.Resource{a, b}, job)
	must(t, err)
	if len(replaced) != 0 || a.ID == 0 || a.Group != "etl" || g.CreatedAt.IsZero() || job.ID == 0 {
		t.Fatalf("upload = %+v %+v %+v %+v", replaced, a, g, job)
	}
	v = moved("an upload", v)
	loose := uploading("c.csv", "u2_c.csv")
	_, err = db.CreateUpload(ctx, p.ID, nil, []*sluice.Resource{loose}, nil)
	must(t, err)
	_, err = db.CreateUpload(ctx, p.ID+1000, nil, []*sluice.Resource{uploading("x", "u_x")}, nil)
	wantCode(t, err, sluice.ENOTFOUND)
	if _, err := db.FindResource(ctx, p.ID, "", "x"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("a refused upload left a resource: %v", err)
	}

	// The end of a copy is kept for the upload it belongs to, once.
	a.Status, a.Size, a.SHA256 = sluice.UploadReady, 42, "abc"
	kept, err := db.FinishResource(ctx, a)
	must(t, err)
	if !kept {
		t.Fatal("a copy's end was not kept")
	}
	v = moved("a finished copy", v)
	if kept, _ := db.FinishResource(ctx, a); kept {
		t.Fatal("a resource finished twice")
	}
	got, err := db.FindResource(ctx, p.ID, "etl", "a.jar")
	must(t, err)
	if got.Status != sluice.UploadReady || got.Size != 42 || got.SHA256 != "abc" || len(got.Tags) != 1 || got.Tags[0].Value != "dev" {
		t.Fatalf("finished = %+v", got)
	}
	// A new upload of b.py replaces it; the old upload's end is then refused.
	b2 := uploading("b.py", "u4_b.py")
	replaced, err = db.CreateUpload(ctx, p.ID, &sluice.ResourceGroup{Name: "etl", Owner: "bob"}, []*sluice.Resource{b2}, nil)
	must(t, err)
	if len(replaced) != 1 || replaced[0].UnderlyingName != "u1_b.py" || replaced[0].BlobKey != "resources/u1_b.py" {
		t.Fatalf("replaced = %+v", replaced)
	}
	b.Status = sluice.UploadReady
	if kept, _ := db.FinishResource(ctx, b); kept {
		t.Fatal("a replaced upload's end was kept")
	}
	rs, gs, err := db.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID})
	must(t, err)
	if len(rs) != 3 || rs[0].Name != "c.csv" || rs[1].Name != "a.jar" || rs[2].Name != "b.py" || rs[2].UnderlyingName != "u4_b.py" {
		t.Fatalf("resources = %+v", rs)
	}
	if len(gs) != 1 || gs[0].Owner != "alice" || gs[0].Async { // the group keeps its owner; Async follows the last upload
		t.Fatalf("groups = %+v", gs[0])
	}
	rs, _, err = db.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID, Kind: sluice.KindPyFile})
	must(t, err)
	if len(rs) != 0 {
		t.Fatalf("pyFile resources = %d", len(rs))
	}
	var keys []string
	must(t, db.ResourceBlobKeys(ctx, func(k string) error { keys = append(keys, k); return nil }))
	if len(keys) != 3 {
		t.Fatalf("blob keys = %v", keys)
	}

	// Owners and tags change in place.
	_, err = db.ChangeResource(ctx, p.ID, "etl", "a.jar", func(r *sluice.Resource) error {
		r.Owner, r.Tags = "bob_1", append(r.Tags, sluice.Tag{Key: "team", Value: "bi"})
		return nil
	})
	must(t, err)
	got, _ = db.FindResource(ctx, p.ID, "etl", "a.jar")
	if got.Owner != "bob_1" || len(got.Tags) != 2 {
		t.Fatalf("changed = %+v", got)
	}
	_, err = db.ChangeResource(ctx, p.ID, "etl", "none", func(*sluice.Resource) error { return nil })
	wantCode(t, err, sluice.ENOTFOUND)
	v = moved("an owner change", v)
	must(t, db.ChangeResourceGroup(ctx, p.ID, "etl", func(g *sluice.ResourceGroup) error { g.Owner = "carol"; return nil }))
	v = moved("a group owner change", v)
	wantCode(t, db.ChangeResourceGroup(ctx, p.ID, "none", func(*sluice.ResourceGroup) error { return nil }), sluice.ENOTFOUND)

	// The group goes with its last resource.
	_, err = db.DeleteResource(ctx, p.ID, "etl", "a.jar")
	must(t, err)
	if _, gs, _ := db.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID}); len(gs) != 1 {
		t.Fatalf("groups after deleting one of two = %d", len(gs))
	}
	del, err := db.DeleteResource(ctx, p.ID, "etl", "b.py")
	must(t, err)
	moved("a delete", v)
	if del.BlobKey != "resources/u4_b.py" {
		t.Fatalf("deleted = %+v", del)
	}
	if _, gs, _ := db.FindResources(ctx, sluice.ResourceFilter{ProjectID: p.ID}); len(gs) != 0 {
		t.Fatalf("groups after deleting the last = %d", len(gs))
	}
	_, err = db.DeleteResource(ctx, p.ID, "etl", "b.py")
	wantCode(t, err, sluice.ENOTFOUND)
}

// testJobs: a job is claimed by one owner at a time, its lease is renewed while held, and a job whose lease
// ran out (its server died) is claimed again, the attempt counted. A lease holds up to its last millisecond.
func testJobs(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	now := clock.Now()
	p := NewProject(t, db, "jobs", Seed(t, db, "alice", sluice.UserMember))
	held := &sluice.Job{Kind: "copy", Payload: "{}", LeaseOwner: "a", LeaseUntil: now.Add(time.Minute), Attempts: 1}
	_, err := db.CreateUpload(ctx, p.ID, nil, []*sluice.Resource{uploading("x", "u_x")}, held)
	must(t, err)
	free := &sluice.Job{Kind: "copy", Payload: `{"n":2}`}
	_, err = db.CreateUpload(ctx, p.ID, nil, []*sluice.Resource{uploading("y", "u_y")}, free)
	must(t, err)

	clock.Advance(time.Second)
	j, err := db.ClaimJob(ctx, "copy", "b", time.Minute)
	must(t, err)
	if j == nil || j.ID != free.ID || j.Attempts != 1 || j.LeaseOwner != "b" || j.Payload != `{"n":2}` ||
		!j.CreatedAt.Equal(now) || !j.LeaseUntil.Equal(now.Add(time.Second+time.Minute)) {
		t.Fatalf("claimed = %+v, want the free job, made at %v and leased until a minute after the claim", j, now)
	}
	if j, _ := db.ClaimJob(ctx, "copy", "c", time.Minute); j != nil {
		t.Fatalf("claimed a leased job: %+v", j)
	}
	if j, _ := db.ClaimJob(ctx, "other", "c", time.Minute); j != nil {
		t.Fatalf("claimed a job of another kind: %+v", j)
	}
	must(t, db.ExtendJob(ctx, j.ID, "b", 2*time.Minute)) // b's lease: until now+2m1s
	wantCode(t, db.ExtendJob(ctx, j.ID, "c", time.Minute), sluice.ECONFLICT)

	// a's server dies. Up to the last millisecond of its lease the job is still a's...
	clock.Set(now.Add(time.Minute))
	if j, _ := db.ClaimJob(ctx, "copy", "c", time.Minute); j != nil {
		t.Fatalf("claimed a job at the last millisecond of its lease: %+v", j)
	}
	// ...and one millisecond later c takes it over, and a cannot renew it any more.
	clock.Advance(time.Millisecond)
	again, err := db.ClaimJob(ctx, "copy", "c", time.Minute)
	must(t, err)
	if again == nil || again.ID != held.ID || again.Attempts != 2 {
		t.Fatalf("taken over = %+v, want job %d on its 2nd attempt", again, held.ID)
	}
	wantCode(t, db.ExtendJob(ctx, held.ID, "a", time.Minute), sluice.ECONFLICT)

	// b renews at the last millisecond of its lease; a millisecond after the renewed lease it cannot.
	clock.Set(now.Add(2*time.Minute + time.Second))
	must(t, db.ExtendJob(ctx, j.ID, "b", time.Minute))
	clock.Advance(time.Minute + time.Millisecond)
	wantCode(t, db.ExtendJob(ctx, j.ID, "b", time.Minute), sluice.ECONFLICT)

	must(t, db.DeleteJob(ctx, held.ID))
	must(t, db.DeleteJob(ctx, j.ID))
	if j, _ := db.ClaimJob(ctx, "copy", "c", time.Minute); j != nil {
		t.Fatalf("claimed a deleted job: %+v", j)
	}
}
