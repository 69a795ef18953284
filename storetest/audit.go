package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// testAudit: a change writes its audit entry in its own transaction, a failed change writes none, a
// change of several transactions writes one, and the log reads back by filter, newest first, in pages. An
// entry carries its transaction's time, and a time filter takes its start and leaves out its end.
func testAudit(t *testing.T, open Open) {
	db, clock := newStore(t, open)
	ctx := context.Background()
	alice := Seed(t, db, "alice", sluice.UserAdmin)
	p := NewProject(t, db, "audited", alice)

	withEntry := func(op, name string) (context.Context, *sluice.AuditEntry) {
		e := &sluice.AuditEntry{AccountID: alice.AccountID, UserID: alice.ID, UserName: alice.Name, AccessKeyID: "LTAIkey",
			RequestID: "req-" + name, Operation: op, ProjectID: p.ID, ProjectName: p.Name, ObjectKind: "workflow", ObjectName: name}
		return sluice.WithAudit(ctx, e), e
	}
	find := func(f sluice.AuditFilter) []*sluice.AuditEntry {
		t.Helper()
		es, _, err := db.FindAudit(ctx, f)
		must(t, err)
		return es
	}

	// A change and its entry commit together; Fill completes the entry with the new object's id.
	actx, e := withEntry("CreateWorkflow", "wf1")
	w := &sluice.Workflow{ProjectID: p.ID, Name: "wf1", Owner: "1", UseType: sluice.UseNormal}
	e.Fill = func(e *sluice.AuditEntry) { e.ObjectID = fmt.Sprint(w.ID) }
	must(t, db.CreateWorkflow(actx, w))
	got := find(sluice.AuditFilter{ProjectID: p.ID})
	if len(got) != 1 {
		t.Fatalf("entries after one change = %d, want 1", len(got))
	}
	g := got[0]
	if g.Operation != "CreateWorkflow" || g.ObjectID != fmt.Sprint(w.ID) || g.RequestID != "req-wf1" || g.UserName != "alice" ||
		g.AccessKeyID != "LTAIkey" || g.ProjectName != "audited" || !g.Time.Equal(Start) || g.ID == 0 {
		t.Fatalf("entry = %+v", g)
	}

	// A failed change (the name is taken) rolls its entry back with it.
	actx, _ = withEntry("CreateWorkflow", "wf1")
	wantCode(t, db.CreateWorkflow(actx, &sluice.Workflow{ProjectID: p.ID, Name: "wf1", Owner: "1", UseType: sluice.UseNormal}), sluice.ECONFLICT)
	if n := len(find(sluice.AuditFilter{ProjectID: p.ID})); n != 1 {
		t.Fatalf("entries after a failed change = %d, want 1", n)
	}

	// One context, two transactions: the entry is recorded once, by the first that commits.
	actx, _ = withEntry("CreateWorkflow", "wf2")
	must(t, db.CreateWorkflow(actx, &sluice.Workflow{ProjectID: p.ID, Name: "wf2", Owner: "1", UseType: sluice.UseNormal}))
	must(t, db.CreateWorkflow(actx, &sluice.Workflow{ProjectID: p.ID, Name: "wf3", Owner: "1", UseType: sluice.UseNormal}))
	if n := len(find(sluice.AuditFilter{Operation: "CreateWorkflow", AccountID: alice.AccountID})); n != 2 {
		t.Fatalf("entries after one change of two transactions = %d, want 2 in all", n)
	}

	// Writes outside the file tables record too: access keys are changed in a transaction.
	k := &sluice.AccessKey{ID: "LTAIaudit", UserID: alice.ID, Enabled: true, SealedSecret: []byte("x")}
	must(t, db.CreateAccessKey(ctx, k))
	must(t, db.SetAccessKeyEnabled(sluice.WithAudit(ctx, &sluice.AuditEntry{AccountID: alice.AccountID, UserName: "alice", Operation: "DisableAccessKey", ObjectKind: "access_key", ObjectID: k.ID}), k.ID, false))
	wantCode(t, db.DeleteAccessKey(sluice.WithAudit(ctx, &sluice.AuditEntry{AccountID: alice.AccountID, UserName: "alice", Operation: "DeleteAccessKey"}), "LTAInone"), sluice.ENOTFOUND)
	if es := find(sluice.AuditFilter{AccountID: alice.AccountID, Operation: "DisableAccessKey"}); len(es) != 1 || es[0].ProjectID != 0 || es[0].ObjectID != k.ID {
		t.Fatalf("key entries = %+v", es)
	}
	if n := len(find(sluice.AuditFilter{Operation: "DeleteAccessKey"})); n != 0 {
		t.Fatalf("a failed key deletion left %d entries", n)
	}

	// Details longer than the limit are cut, on a character boundary.
	long := make([]rune, sluice.AuditDetailMax+10)
	for i := range long {
		long[i] = 'é'
	}
	actx, e = withEntry("UpdateWorkflow", "wf1")
	e.Detail = string(long)
	_, err := db.UpdateWorkflow(actx, p.ID, w.ID, func(w *sluice.Workflow) error { w.Description = "d"; return nil })
	must(t, err)
	if es := find(sluice.AuditFilter{Operation: "UpdateWorkflow"}); len(es) != 1 || len([]rune(es[0].Detail)) != sluice.AuditDetailMax {
		t.Fatalf("long detail: %d entries", len(es))
	}

	// Filters: by user name, by project, by time; other accounts' entries are apart. Bob's entries are a
	// minute apart, the first a minute after everything above.
	bob := Seed(t, db, "bob", sluice.UserMember)
	for i := range 5 {
		clock.Advance(time.Minute)
		e := &sluice.AuditEntry{AccountID: bob.AccountID, UserID: bob.ID, UserName: "bob", Operation: "UpdateWorkflow", ProjectID: p.ID, ProjectName: p.Name}
		_, err := db.UpdateWorkflow(sluice.WithAudit(ctx, e), p.ID, w.ID, func(w *sluice.Workflow) error { w.Description = fmt.Sprint(i); return nil })
		must(t, err)
	}
	if n := len(find(sluice.AuditFilter{UserName: "bob"})); n != 5 {
		t.Fatalf("bob's entries = %d, want 5", n)
	}
	if n := len(find(sluice.AuditFilter{UserName: "bob", Operation: "CreateWorkflow"})); n != 0 {
		t.Fatalf("bob's creates = %d, want 0", n)
	}
	if n := len(find(sluice.AuditFilter{ProjectID: p.ID + 1000})); n != 0 {
		t.Fatalf("another project's entries = %d, want 0", n)
	}
	if n := len(find(sluice.AuditFilter{AccountID: alice.AccountID + 1000})); n != 0 {
		t.Fatalf("another account's entries = %d, want 0", n)
	}
	if n := len(find(sluice.AuditFilter{Since: clock.Now().Add(time.Millisecond)})); n != 0 {
		t.Fatalf("entries from the future = %d, want 0", n)
	}
	all := find(sluice.AuditFilter{Since: Start, Until: clock.Now().Add(time.Millisecond)})
	if len(all) != 9 {
		t.Fatalf("entries from the start to now = %d, want 9", len(all))
	}
	if n := len(find(sluice.AuditFilter{Since: Start.Add(3 * time.Minute)})); n != 3 {
		t.Fatalf("entries since bob's third = %d, want 3 (his third included)", n)
	}
	if n := len(find(sluice.AuditFilter{Until: Start.Add(3 * time.Minute)})); n != 6 {
		t.Fatalf("entries until bob's third = %d, want 6 (his third left out)", n)
	}
	if n := len(find(sluice.AuditFilter{Until: clock.Now()})); n != 8 {
		t.Fatalf("entries until now = %d, want 8 (the one made now left out)", n)
	}

	// Paging: newest first, a page at a time, each entry once.
	var seen []int64
	var marker int64
	for pages := 0; ; pages++ {
		es, next, err := db.FindAudit(ctx, sluice.AuditFilter{Limit: 3, Marker: marker})
		must(t, err)
		for _, e := range es {
			seen = append(seen, e.ID)
		}
		if next == 0 {
			break
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		marker = next
	}
	if len(seen) != len(all) {
		t.Fatalf("paged %d entries, want %d", len(seen), len(all))
	}
	for i := range seen {
		if seen[i] != all[i].ID || (i > 0 && seen[i] >= seen[i-1]) {
			t.Fatalf("paged ids %v, want %v newest first", seen, all)
		}
	}
}
