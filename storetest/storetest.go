// Package storetest is the conformance suite of Sluice's metadata store: what every implementation of the
// store interfaces of package sluice must do. The suite knows a store only through those interfaces and a
// constructor, and owns the store's clock; sqlstore's tests run it on SQLite and on PostgreSQL.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
)

// Store is what the suite checks: everything the core keeps, and the request nonces.
type Store interface {
	core.Store
	sluice.NonceStore
}

// Open returns a fresh, empty store, closed when the test ends, that takes every "now" it needs from now:
// the time it stamps on what it writes (creation times, audit entries, versions) and the time nonces and job
// leases expire against.
type Open func(t testing.TB, now func() time.Time) Store

// NewDSN returns the address of a fresh, empty database for one test.
type NewDSN func(t testing.TB) string

// Start is where every store's clock starts in the suite.
var Start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// Clock is a store's time in the suite: it stands still until the test moves it, so that a case can put a
// write, an expiry or a window's edge at the exact millisecond it means. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, forward or back.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Run runs the whole suite on stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"Users", testUsers},
		{"AccessKeys", testAccessKeys},
		{"Projects", testProjects},
		{"ProjectPaging", testProjectPaging},
		{"Members", testMembers},
		{"Nonces", testNonces},
		{"NonceWindow", testNonceWindow},
		{"NoncePurgeMany", testNoncePurgeMany},
		{"ConcurrentNonces", testConcurrentNonces},
		{"ConcurrentProjectCreate", testConcurrentProjectCreate},
		{"Settings", testSettings},
		{"Sessions", testSessions},
		{"SignInFailures", testSignInFailures},
		{"SignInWindow", testSignInWindow},
		{"ConcurrentSignInFailures", testConcurrentSignInFailures},
		{"Timezones", testTimezones},
		{"Workflows", testWorkflows},
		{"Folders", testFolders},
		{"Files", testFiles},
		{"FileCommits", testFileCommits},
		{"Redeploys", testRedeploys},
		{"ConcurrentCommits", testConcurrentCommits},
		{"ConcurrentFileChanges", testConcurrentFileChanges},
		{"ConcurrentOwnerChanges", testConcurrentOwnerChanges},
		{"ConcurrentKeywords", testConcurrentKeywords},
		{"Resources", testResources},
		{"Jobs", testJobs},
		{"Lineage", testLineage},
		{"LineageGraph", testLineageGraph},
		{"ColumnLineage", testColumnLineage},
		{"ColumnGraph", testColumnGraph},
		{"LineageReaders", testLineageReaders},
		{"Catalog", testCatalog},
		{"Audit", testAudit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// newStore opens an empty store on a clock of its own standing at Start.
func newStore(t testing.TB, open Open) (Store, *Clock) {
	t.Helper()
	c := NewClock(Start)
	return open(t, c.Now), c
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := sluice.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Seed creates a user named name with role in the account "main", creating the account first if need be.
func Seed(t testing.TB, db sluice.IdentityStore, name string, role sluice.UserRole) *sluice.User {
	t.Helper()
	ctx := context.Background()
	a, err := db.FindAccountByName(ctx, "main")
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		a = &sluice.Account{Name: "main"}
		err = db.CreateAccount(ctx, a)
	}
	must(t, err)
	u := &sluice.User{AccountID: a.ID, Name: name, Role: role}
	must(t, db.CreateUser(ctx, u))
	return u
}

// NewProject creates a project named name, with an id derived from the name, owned by owner.
func NewProject(t testing.TB, db sluice.ProjectStore, name string, owner *sluice.User) *sluice.Project {
	t.Helper()
	p := &sluice.Project{Name: name, UUID: uuidFor(name), AccountID: owner.AccountID, OwnerID: owner.ID}
	must(t, db.CreateProject(context.Background(), p, &sluice.Member{UserID: owner.ID, Role: sluice.RoleOwner}))
	return p
}

// uuidFor derives a distinct 32-hex id from a name, so tests are deterministic.
func uuidFor(name string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	return fmt.Sprintf("%016x%016x", h, h*31+7)
}

func testUsers(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	root := Seed(t, db, "root", sluice.UserRoot)
	alice := Seed(t, db, "alice", sluice.UserMember)
	if root.ID == 0 || alice.ID == 0 || root.ID == alice.ID {
		t.Fatalf("ids: root %d alice %d", root.ID, alice.ID)
	}
	t.Run("ErrDuplicateName", func(t *testing.T) {
		err := db.CreateUser(ctx, &sluice.User{AccountID: alice.AccountID, Name: "alice", Role: sluice.UserMember})
		wantCode(t, err, sluice.ECONFLICT)
	})
	t.Run("ErrSecondRoot", func(t *testing.T) {
		err := db.CreateUser(ctx, &sluice.User{AccountID: alice.AccountID, Name: "root2", Role: sluice.UserRoot})
		wantCode(t, err, sluice.ECONFLICT)
	})
	t.Run("ErrUnknownAccount", func(t *testing.T) {
		err := db.CreateUser(ctx, &sluice.User{AccountID: 424242, Name: "bob", Role: sluice.UserMember})
		wantCode(t, err, sluice.ENOTFOUND)
	})
	t.Run("Find", func(t *testing.T) {
		u, err := db.FindUserByID(ctx, alice.ID)
		must(t, err)
		if u.Name != "alice" || u.Role != sluice.UserMember || u.AccountID != alice.AccountID {
			t.Fatalf("FindUserByID = %+v", u)
		}
		_, err = db.FindUserByName(ctx, "nobody")
		wantCode(t, err, sluice.ENOTFOUND)
		users, err := db.FindUsers(ctx, alice.AccountID)
		must(t, err)
		if len(users) != 2 || users[0].Name != "alice" || users[1].Name != "root" {
			t.Fatalf("FindUsers = %v", users)
		}
	})
}

func testAccessKeys(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	bob := Seed(t, db, "bob", sluice.UserMember)
	sealed := []byte{1, 2, 3, 0, 255}
	must(t, db.CreateAccessKey(ctx, &sluice.AccessKey{ID: "AK1", UserID: alice.ID, Enabled: true, SealedSecret: sealed}))
	must(t, db.CreateAccessKey(ctx, &sluice.AccessKey{ID: "AK2", UserID: bob.ID, Enabled: true, SealedSecret: sealed}))
	wantCode(t, db.CreateAccessKey(ctx, &sluice.AccessKey{ID: "AK1", UserID: bob.ID, Enabled: true, SealedSecret: sealed}), sluice.ECONFLICT)
	wantCode(t, db.CreateAccessKey(ctx, &sluice.AccessKey{ID: "AK3", UserID: 99999, Enabled: true, SealedSecret: sealed}), sluice.ENOTFOUND)

	k, err := db.FindAccessKey(ctx, "AK1")
	must(t, err)
	if k.UserID != alice.ID || k.UserName != "alice" || !k.Enabled || string(k.SealedSecret) != string(sealed) || k.Secret != "" {
		t.Fatalf("FindAccessKey = %+v", k)
	}
	keys, err := db.FindAccessKeys(ctx, sluice.AccessKeyFilter{UserID: &bob.ID})
	must(t, err)
	if len(keys) != 1 || keys[0].ID != "AK2" {
		t.Fatalf("FindAccessKeys(bob) = %v", keys)
	}
	keys, err = db.FindAccessKeys(ctx, sluice.AccessKeyFilter{AccountID: &alice.AccountID})
	must(t, err)
	if len(keys) != 2 || keys[0].ID != "AK1" {
		t.Fatalf("FindAccessKeys(account) = %v", keys)
	}

	must(t, db.SetAccessKeyEnabled(ctx, "AK1", false))
	k, err = db.FindAccessKey(ctx, "AK1")
	must(t, err)
	if k.Enabled {
		t.Fatal("key still enabled")
	}
	wantCode(t, db.SetAccessKeyEnabled(ctx, "nope", false), sluice.ENOTFOUND)
	must(t, db.DeleteAccessKey(ctx, "AK1"))
	_, err = db.FindAccessKey(ctx, "AK1")
	wantCode(t, err, sluice.ENOTFOUND)
	wantCode(t, db.DeleteAccessKey(ctx, "AK1"), sluice.ENOTFOUND)
}

func testProjects(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	p := NewProject(t, db, "sales_dw", alice)
	if p.ID < 10000 {
		t.Fatalf("project id %d, want ≥ 10000 (DataWorks ids)", p.ID)
	}
	q := NewProject(t, db, "ads", alice)
	if q.ID <= p.ID {
		t.Fatalf("ids not increasing: %d then %d", p.ID, q.ID)
	}
	for _, ref := range []sluice.ProjectRef{sluice.ProjectByID(p.ID), sluice.ProjectByName("sales_dw"), sluice.ProjectByUUID(p.UUID)} {
		got, err := db.FindProject(ctx, ref)
		must(t, err)
		if got.ID != p.ID || got.Name != p.Name || got.UUID != p.UUID || got.OwnerName != "alice" || got.AccountID != alice.AccountID {
			t.Fatalf("FindProject(%v) = %+v", ref, got)
		}
	}
	_, err := db.FindProject(ctx, sluice.ProjectByName("nope"))
	wantCode(t, err, sluice.ENOTFOUND)
	dup := &sluice.Project{Name: "sales_dw", UUID: uuidFor("other"), AccountID: alice.AccountID, OwnerID: alice.ID}
	wantCode(t, db.CreateProject(ctx, dup, &sluice.Member{UserID: alice.ID, Role: sluice.RoleOwner}), sluice.ECONFLICT)

	m, err := db.FindMember(ctx, p.ID, alice.ID)
	must(t, err)
	if m.Role != sluice.RoleOwner || m.UserName != "alice" {
		t.Fatalf("owner membership = %+v", m)
	}
	must(t, db.DeleteProject(ctx, p.ID))
	_, err = db.FindProject(ctx, sluice.ProjectByID(p.ID))
	wantCode(t, err, sluice.ENOTFOUND)
	_, err = db.FindMember(ctx, p.ID, alice.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	wantCode(t, db.DeleteProject(ctx, p.ID), sluice.ENOTFOUND)
}

func testProjectPaging(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	bob := Seed(t, db, "bob", sluice.UserMember)
	names := []string{"a_1", "a_2", "ab", "b", "B_upper", "c", "a%x"}
	for _, n := range names {
		NewProject(t, db, n, alice)
	}
	NewProject(t, db, "bobs", bob)

	all, total, err := db.FindProjects(ctx, sluice.ProjectFilter{})
	must(t, err)
	if total != 8 || len(all) != 8 {
		t.Fatalf("all: %d rows, total %d", len(all), total)
	}
	// Byte order: upper case before lower case, '%' before digits, '_' after digits and upper case.
	want := []string{"B_upper", "a%x", "a_1", "a_2", "ab", "b", "bobs", "c"}
	for i, p := range all {
		if p.Name != want[i] {
			t.Fatalf("order: got %v at %d, want %v", p.Name, i, want)
		}
	}
	mine, total, err := db.FindProjects(ctx, sluice.ProjectFilter{MemberID: &bob.ID})
	must(t, err)
	if total != 1 || len(mine) != 1 || mine[0].Name != "bobs" {
		t.Fatalf("bob's projects: %v total %d", mine, total)
	}
	// The prefix is literal: '_' and '%' are not wildcards.
	pre, total, err := db.FindProjects(ctx, sluice.ProjectFilter{Prefix: "a_"})
	must(t, err)
	if total != 2 || len(pre) != 2 || pre[0].Name != "a_1" {
		t.Fatalf("prefix a_: %v total %d", pre, total)
	}
	// Marker paging walks everything once; the total ignores the marker.
	var seen []string
	after := ""
	for {
		page, total, err := db.FindProjects(ctx, sluice.ProjectFilter{MemberID: &alice.ID, After: after, Limit: 3})
		must(t, err)
		if total != 7 {
			t.Fatalf("total with marker = %d, want 7", total)
		}
		for _, p := range page {
			seen = append(seen, p.Name)
		}
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].Name
	}
	if len(seen) != 7 {
		t.Fatalf("marker paging saw %v", seen)
	}
	page, _, err := db.FindProjects(ctx, sluice.ProjectFilter{Offset: 6, Limit: 5})
	must(t, err)
	if len(page) != 2 || page[0].Name != "bobs" {
		t.Fatalf("offset page = %v", page)
	}
	page, _, err = db.FindProjects(ctx, sluice.ProjectFilter{Offset: 7})
	must(t, err)
	if len(page) != 1 || page[0].Name != "c" {
		t.Fatalf("offset without limit = %v", page)
	}
	// A page past the end still knows the total; an empty selection counts zero.
	page, total, err = db.FindProjects(ctx, sluice.ProjectFilter{Offset: 20, Limit: 5})
	must(t, err)
	if len(page) != 0 || total != 8 {
		t.Fatalf("past the end: %v total %d, want none of 8", page, total)
	}
	page, total, err = db.FindProjects(ctx, sluice.ProjectFilter{Prefix: "zz"})
	must(t, err)
	if len(page) != 0 || total != 0 {
		t.Fatalf("no match: %v total %d", page, total)
	}
	page, total, err = db.FindProjects(ctx, sluice.ProjectFilter{NoTotal: true, Limit: 2})
	must(t, err)
	if len(page) != 2 || total != -1 {
		t.Fatalf("NoTotal: %d rows, total %d", len(page), total)
	}
}

func testMembers(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	bob := Seed(t, db, "bob", sluice.UserMember)
	p := NewProject(t, db, "proj", alice)

	put := func(projectID int64, role sluice.Role) (*sluice.Member, error) {
		return db.ChangeMember(ctx, projectID, bob.ID, func([]*sluice.Member) (*sluice.Member, error) {
			return &sluice.Member{Role: role}, nil
		})
	}
	_, err := put(p.ID, sluice.RoleViewer)
	must(t, err)
	got, err := put(p.ID, sluice.RoleDeveloper)
	must(t, err)
	if got.ProjectID != p.ID || got.UserID != bob.ID || !got.CreatedAt.Equal(Start) {
		t.Fatalf("stored member = %+v", got)
	}
	m, err := db.FindMember(ctx, p.ID, bob.ID)
	must(t, err)
	if m.Role != sluice.RoleDeveloper {
		t.Fatalf("role after upsert = %s", m.Role)
	}
	// FindProjectMember reads the same project and membership as FindProject and FindMember, however named.
	wantProjectMember := func(userID int64, want *sluice.Member) {
		t.Helper()
		for _, ref := range []sluice.ProjectRef{sluice.ProjectByID(p.ID), sluice.ProjectByName(p.Name), sluice.ProjectByUUID(p.UUID)} {
			gp, gm, err := db.FindProjectMember(ctx, ref, userID)
			must(t, err)
			if gp.ID != p.ID || gp.Name != p.Name || gp.OwnerName != "alice" {
				t.Fatalf("FindProjectMember(%v, %d) project = %+v", ref, userID, gp)
			}
			if (gm == nil) != (want == nil) || gm != nil && (*gm != *want) {
				t.Fatalf("FindProjectMember(%v, %d) member = %+v, want %+v", ref, userID, gm, want)
			}
		}
	}
	wantProjectMember(bob.ID, m)
	owner, err := db.FindMember(ctx, p.ID, alice.ID)
	must(t, err)
	wantProjectMember(alice.ID, owner)
	carol := Seed(t, db, "carol", sluice.UserMember)
	wantProjectMember(carol.ID, nil)
	_, _, err = db.FindProjectMember(ctx, sluice.ProjectByName("nope"), bob.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	members, err := db.FindMembers(ctx, p.ID)
	must(t, err)
	if len(members) != 2 || members[0].UserName != "alice" || members[1].UserName != "bob" {
		t.Fatalf("members = %v", members)
	}
	_, err = put(1, sluice.RoleViewer)
	wantCode(t, err, sluice.ENOTFOUND)
	// The change sees the members as they are, and what it refuses is not written.
	_, err = db.ChangeMember(ctx, p.ID, bob.ID, func(ms []*sluice.Member) (*sluice.Member, error) {
		if len(ms) != 2 || ms[1].Role != sluice.RoleDeveloper {
			t.Errorf("members seen by the change = %v", ms)
		}
		return nil, sluice.Errorf(sluice.ECONFLICT, "no")
	})
	wantCode(t, err, sluice.ECONFLICT)
	if m, err := db.FindMember(ctx, p.ID, bob.ID); err != nil || m.Role != sluice.RoleDeveloper {
		t.Fatalf("after a refused change = %+v, %v", m, err)
	}
	_, err = db.ChangeMember(ctx, p.ID, bob.ID, func([]*sluice.Member) (*sluice.Member, error) { return nil, nil })
	must(t, err)
	_, err = db.FindMember(ctx, p.ID, bob.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	wantProjectMember(bob.ID, nil)
}

func testNonces(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	now := clock.Now()

	fresh, err := db.UseNonce(ctx, "AK1:n1", now.Add(15*time.Minute))
	must(t, err)
	if !fresh {
		t.Fatal("first use not fresh")
	}
	fresh, err = db.UseNonce(ctx, "AK1:n1", now.Add(15*time.Minute))
	must(t, err)
	if fresh {
		t.Fatal("replay accepted")
	}
	fresh, err = db.UseNonce(ctx, "AK2:n1", now.Add(15*time.Minute))
	must(t, err)
	if !fresh {
		t.Fatal("same nonce of another key refused")
	}
	// Once expired, the record no longer blocks (the request itself would be stale by then).
	now = clock.Advance(16 * time.Minute)
	fresh, err = db.UseNonce(ctx, "AK1:n1", now.Add(15*time.Minute))
	must(t, err)
	if !fresh {
		t.Fatal("expired nonce still blocks")
	}
	n, err := db.PurgeNonces(ctx, now)
	must(t, err)
	if n != 1 { // AK2:n1 expired; AK1:n1 was renewed
		t.Fatalf("purged %d, want 1", n)
	}
}

// testNonceWindow: a nonce blocks its replays up to the last millisecond of its window and not one after,
// whatever the expiry the replay asks for; a purge at the window's end keeps it.
func testNonceWindow(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	start := clock.Now()
	end := start.Add(15 * time.Minute)
	use := func(key string, expires time.Time) bool {
		t.Helper()
		fresh, err := db.UseNonce(ctx, key, expires)
		must(t, err)
		return fresh
	}
	if !use("AK:w", end) {
		t.Fatal("first use not fresh")
	}
	clock.Set(end.Add(-time.Millisecond))
	if use("AK:w", clock.Now().Add(time.Hour)) {
		t.Fatal("replay a millisecond before the window's end accepted")
	}
	clock.Set(end)
	if use("AK:w", end.Add(15*time.Minute)) {
		t.Fatal("replay at the window's last millisecond accepted")
	}
	if n, err := db.PurgeNonces(ctx, end); err != nil || n != 0 {
		t.Fatalf("purge at the window's end removed %d (%v), want none", n, err)
	}
	clock.Advance(time.Millisecond)
	if !use("AK:w", clock.Now().Add(15*time.Minute)) {
		t.Fatal("replay a millisecond after the window refused")
	}
	// The renewed record blocks for its own window.
	if use("AK:w", clock.Now().Add(15*time.Minute)) {
		t.Fatal("replay of the renewed nonce accepted")
	}
}

// testNoncePurgeMany: a purge of more nonces than a store deletes at once removes every expired one, counts
// them all, and keeps the live ones, which still block their replays.
func testNoncePurgeMany(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	const expired, live, workers = 4321, 25, 16
	start := clock.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < expired+live; i += workers {
				expires := start.Add(time.Minute + time.Duration(i)*time.Millisecond)
				if i >= expired {
					expires = start.Add(time.Hour)
				}
				if fresh, err := db.UseNonce(ctx, fmt.Sprintf("AK:many%d", i), expires); err != nil || !fresh {
					errs <- fmt.Errorf("nonce %d: fresh %v, %v", i, fresh, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	now := start.Add(30 * time.Minute)
	clock.Set(now)
	n, err := db.PurgeNonces(ctx, now)
	must(t, err)
	if n != expired {
		t.Fatalf("purged %d, want %d", n, expired)
	}
	for i := expired; i < expired+live; i++ {
		fresh, err := db.UseNonce(ctx, fmt.Sprintf("AK:many%d", i), now.Add(15*time.Minute))
		must(t, err)
		if fresh {
			t.Fatalf("live nonce %d accepted again after the purge", i)
		}
	}
	if n, err := db.PurgeNonces(ctx, now); err != nil || n != 0 {
		t.Fatalf("second purge removed %d (%v), want none", n, err)
	}
}

func testConcurrentNonces(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	const workers = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	freshCount := 0
	var firstErr error
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fresh, err := db.UseNonce(ctx, "AK:same", clock.Now().Add(time.Hour))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			if fresh {
				freshCount++
			}
		}()
	}
	wg.Wait()
	must(t, firstErr)
	if freshCount != 1 {
		t.Fatalf("%d of %d concurrent uses of one nonce were accepted, want exactly 1", freshCount, workers)
	}
}

func testConcurrentProjectCreate(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	alice := Seed(t, db, "alice", sluice.UserMember)
	const workers = 8
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := &sluice.Project{Name: "race", UUID: uuidFor(fmt.Sprint("race", i)), AccountID: alice.AccountID, OwnerID: alice.ID}
			errs <- db.CreateProject(ctx, p, &sluice.Member{UserID: alice.ID, Role: sluice.RoleOwner})
		}(i)
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case sluice.ErrorCode(err) != sluice.ECONFLICT:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d creations of one name succeeded, want 1", ok)
	}
	_, total, err := db.FindProjects(ctx, sluice.ProjectFilter{})
	must(t, err)
	if total != 1 {
		t.Fatalf("%d projects, want 1", total)
	}
}

func testSettings(t *testing.T, open Open) {
	ctx := context.Background()
	db, _ := newStore(t, open)
	v, err := db.PutSettingIfAbsent(ctx, "fp", "one")
	must(t, err)
	if v != "one" {
		t.Fatalf("first put = %q", v)
	}
	v, err = db.PutSettingIfAbsent(ctx, "fp", "two")
	must(t, err)
	if v != "one" {
		t.Fatalf("second put = %q, want the first value", v)
	}
}

func testTimezones(t *testing.T, open Open) {
	ctx := context.Background()
	db, clock := newStore(t, open)
	pinned := time.Date(2026, 3, 29, 1, 30, 0, 123_000_000, time.FixedZone("CET", 3600))
	clock.Set(pinned)
	alice := Seed(t, db, "alice", sluice.UserMember)
	p := NewProject(t, db, "tz", alice)
	got, err := db.FindProject(ctx, sluice.ProjectByID(p.ID))
	must(t, err)
	if !got.CreatedAt.Equal(pinned) || got.CreatedAt.Location() != time.UTC || got.CreatedAt.UnixMilli() != pinned.UnixMilli() {
		t.Fatalf("created_at = %v, want %v in UTC", got.CreatedAt, pinned)
	}
	if !p.CreatedAt.Equal(got.CreatedAt) {
		t.Fatalf("create returned %v, read returned %v", p.CreatedAt, got.CreatedAt)
	}
}
