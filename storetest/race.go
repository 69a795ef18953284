package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
)

// newCore is the core over the suite's store, for the cases whose rules are the core's.
func newCore(t testing.TB, db core.Store) *core.Service {
	box, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	must(t, err)
	return core.New(db, box)
}

func as(u *sluice.User) context.Context {
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

// testConcurrentOwnerChanges has two owners demote or remove each other at the same moment, many times:
// each time at most one succeeds, and the project always keeps an owner.
func testConcurrentOwnerChanges(t *testing.T, open Open) {
	db, _ := newStore(t, open)
	svc := newCore(t, db)
	alice := Seed(t, db, "alice", sluice.UserMember)
	bob := Seed(t, db, "bob", sluice.UserMember)
	for i := range 10 {
		p := NewProject(t, db, fmt.Sprintf("proj%d", i), alice)
		ref := sluice.ProjectByID(p.ID)
		_, err := svc.PutMember(as(alice), ref, "bob", sluice.RoleOwner)
		must(t, err)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, errs[0] = svc.PutMember(as(alice), ref, "bob", sluice.RoleViewer)
		}()
		go func() {
			defer wg.Done()
			errs[1] = svc.DeleteMember(as(bob), ref, "alice")
		}()
		wg.Wait()
		members, err := db.FindMembers(context.Background(), p.ID)
		must(t, err)
		owners := 0
		for _, m := range members {
			if m.Role == sluice.RoleOwner {
				owners++
			}
		}
		if owners == 0 || (errs[0] == nil && errs[1] == nil) {
			t.Fatalf("round %d: %d owners left (%v); errors %v", i, owners, members, errs)
		}
	}
}

// testConcurrentFileChanges races updates of different fields of one file, updates that change nothing,
// and commits, through the core as the faces call it. Every acknowledged change must be there at the end:
// each field holds the last value its writer set, the versions are exactly the acknowledged commits, and
// the file is committed exactly when its draft is what the last version holds.
func testConcurrentFileChanges(t *testing.T, open Open) {
	x := newFileFixture(t, open)
	svc := newCore(t, x.db)
	owner, err := x.db.FindUserByID(context.Background(), x.project.OwnerID)
	must(t, err)
	ctx := as(owner)
	ref := sluice.ProjectByID(x.project.ID)
	f, err := svc.CreateFile(ctx, ref, sluice.File{Name: "race", Type: 10, Content: "SELECT 0", FolderPath: x.folder.Path}, false)
	must(t, err)

	const rounds = 12
	fields := map[string]func(v string) sluice.FileUpdate{
		"content":     func(v string) sluice.FileUpdate { return sluice.FileUpdate{Content: &v} },
		"description": func(v string) sluice.FileUpdate { return sluice.FileUpdate{Description: &v} },
		"connection":  func(v string) sluice.FileUpdate { return sluice.FileUpdate{ConnectionName: &v} },
		"settings": func(v string) sluice.FileUpdate {
			s := fmt.Sprintf("{%q:1}", v)
			return sluice.FileUpdate{AdvancedSettings: &s}
		},
		"parameters": func(v string) sluice.FileUpdate {
			return sluice.FileUpdate{Schedule: func(s *sluice.Schedule) error { s.ParaValue = v; return nil }}
		},
		"rerun": func(v string) sluice.FileUpdate {
			return sluice.FileUpdate{Schedule: func(s *sluice.Schedule) error { s.ImageID = v; return nil }}
		},
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(fields)*rounds*2+rounds)
	last := map[string]string{}
	var mu sync.Mutex
	for name, update := range fields {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				v := fmt.Sprintf("%s-%d", name, r)
				if _, err := svc.UpdateFile(ctx, ref, f.ID, update(v)); err != nil {
					errs <- fmt.Errorf("update %s: %w", name, err)
					return
				}
				mu.Lock()
				last[name] = v
				mu.Unlock()
				// The same value again changes nothing, and must not undo a commit that landed between.
				if _, err := svc.UpdateFile(ctx, ref, f.ID, update(v)); err != nil {
					errs <- fmt.Errorf("repeat %s: %w", name, err)
					return
				}
			}
		}()
	}
	commits := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range rounds {
			if _, err := svc.SubmitFile(ctx, ref, f.ID, ""); err != nil {
				errs <- fmt.Errorf("submit: %w", err)
				return
			}
			commits++
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	got, err := svc.FindFile(ctx, ref, f.ID)
	must(t, err)
	want := map[string]string{"content": got.Content, "description": got.Description, "connection": got.ConnectionName,
		"settings": got.AdvancedSettings, "parameters": got.Schedule.ParaValue, "rerun": got.Schedule.ImageID}
	for name, v := range last {
		if name == "settings" {
			v = fmt.Sprintf("{%q:1}", v)
		}
		if want[name] != v {
			t.Errorf("%s = %q, want the last acknowledged %q", name, want[name], v)
		}
	}
	versions, total, err := svc.FindFileVersions(ctx, ref, f.ID, 0, 100)
	must(t, err)
	if total != commits || got.CurrentVersion != commits {
		t.Fatalf("%d commits acknowledged, %d versions stored, current version %d", commits, total, got.CurrentVersion)
	}
	for i, v := range versions {
		if v.Version != commits-i {
			t.Fatalf("versions are not 1..%d: %d at %d", commits, v.Version, i)
		}
	}
	head := versions[0]
	same := head.Content == got.Content && head.Properties.Description == got.Description &&
		head.Properties.ConnectionName == got.ConnectionName && head.Properties.AdvancedSettings == got.AdvancedSettings &&
		head.Schedule.ParaValue == got.Schedule.ParaValue && head.Schedule.ImageID == got.Schedule.ImageID
	if same != (got.CommitStatus == sluice.Committed) {
		t.Fatalf("commit status %d, but the draft equals the last version: %v", got.CommitStatus, same)
	}
	// One more commit leaves it committed; an update that changes nothing keeps it so.
	_, err = svc.SubmitFile(ctx, ref, f.ID, "")
	must(t, err)
	_, err = svc.UpdateFile(ctx, ref, f.ID, fields["content"](got.Content))
	must(t, err)
	if got, _ = svc.FindFile(ctx, ref, f.ID); got.CommitStatus != sluice.Committed {
		t.Fatal("an update that changed nothing uncommitted the file")
	}
}
