package dli_test

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sluice-dev/sluice"
)

// fakeResources is a sluice.ResourceService of function fields; a test sets the ones it expects called.
// Every call is recorded, so a test can show that a refused request reached nothing that changes data.
type fakeResources struct {
	FindResourcesFn       func(ctx context.Context, p sluice.ProjectRef, f sluice.ResourceFilter) (*sluice.ResourceListing, error)
	UploadResourcesFn     func(ctx context.Context, p sluice.ProjectRef, u sluice.ResourceUpload) (*sluice.ResourceGroup, error)
	PutResourceFn         func(ctx context.Context, p sluice.ProjectRef, r sluice.Resource, body io.Reader) (*sluice.Resource, error)
	FindResourceFn        func(ctx context.Context, p sluice.ProjectRef, group, name string) (*sluice.Resource, error)
	OpenResourceFn        func(ctx context.Context, p sluice.ProjectRef, group, name string) (*sluice.Resource, io.ReadCloser, error)
	DeleteResourceFn      func(ctx context.Context, p sluice.ProjectRef, group, name string) error
	ChangeResourceOwnerFn func(ctx context.Context, p sluice.ProjectRef, group, name, newOwner string) error
	TagResourceFn         func(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error
	UntagResourceFn       func(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error

	mu    sync.Mutex
	calls []string
}

var _ sluice.ResourceService = (*fakeResources)(nil)

func (f *fakeResources) record(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
}

// Calls returns the methods called so far and forgets them.
func (f *fakeResources) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func (f *fakeResources) FindResources(ctx context.Context, p sluice.ProjectRef, flt sluice.ResourceFilter) (*sluice.ResourceListing, error) {
	f.record("FindResources")
	return f.FindResourcesFn(ctx, p, flt)
}

func (f *fakeResources) UploadResources(ctx context.Context, p sluice.ProjectRef, u sluice.ResourceUpload) (*sluice.ResourceGroup, error) {
	f.record("UploadResources")
	return f.UploadResourcesFn(ctx, p, u)
}

func (f *fakeResources) PutResource(ctx context.Context, p sluice.ProjectRef, r sluice.Resource, body io.Reader) (*sluice.Resource, error) {
	f.record("PutResource")
	return f.PutResourceFn(ctx, p, r, body)
}

func (f *fakeResources) FindResource(ctx context.Context, p sluice.ProjectRef, group, name string) (*sluice.Resource, error) {
	f.record("FindResource")
	return f.FindResourceFn(ctx, p, group, name)
}

func (f *fakeResources) OpenResource(ctx context.Context, p sluice.ProjectRef, group, name string) (*sluice.Resource, io.ReadCloser, error) {
	f.record("OpenResource")
	return f.OpenResourceFn(ctx, p, group, name)
}

func (f *fakeResources) DeleteResource(ctx context.Context, p sluice.ProjectRef, group, name string) error {
	f.record("DeleteResource")
	return f.DeleteResourceFn(ctx, p, group, name)
}

func (f *fakeResources) ChangeResourceOwner(ctx context.Context, p sluice.ProjectRef, group, name, newOwner string) error {
	f.record("ChangeResourceOwner")
	return f.ChangeResourceOwnerFn(ctx, p, group, name, newOwner)
}

func (f *fakeResources) TagResource(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
	f.record("TagResource")
	return f.TagResourceFn(ctx, p, group, name, tags)
}

func (f *fakeResources) UntagResource(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
	f.record("UntagResource")
	return f.UntagResourceFn(ctx, p, group, name, tags)
}

// The fake's one project, by name and by uuid, and its members: alice owns it, viewer_1 may read,
// stranger is no member. bob_1 is a user who may receive packages.
const (
	projectName = "sales_dw"
	projectUUID = "0123456789abcdef0123456789abcdef"
)

var roles = map[string]sluice.Role{"alice": sluice.RoleOwner, "viewer_1": sluice.RoleViewer, "bob_1": sluice.RoleDeveloper}

// memory is a small resource centre in memory behind the function fields, with the core's rules as the
// face relies on them: a missing project is ENOTFOUND, a non-member is EFORBIDDEN, a viewer may read only.
type memory struct {
	mu        sync.Mutex
	now       time.Time
	seq       int
	resources map[string]*sluice.Resource // "group/name"
	groups    map[string]*sluice.ResourceGroup
}

func newFake() *fakeResources {
	m := &memory{now: time.UnixMilli(1700000000000).UTC(), resources: map[string]*sluice.Resource{},
		groups: map[string]*sluice.ResourceGroup{}}
	return &fakeResources{
		FindResourcesFn:       m.findResources,
		UploadResourcesFn:     m.uploadResources,
		FindResourceFn:        m.findResource,
		DeleteResourceFn:      m.deleteResource,
		ChangeResourceOwnerFn: m.changeOwner,
		TagResourceFn:         m.retag(true),
		UntagResourceFn:       m.retag(false),
	}
}

func (m *memory) check(ctx context.Context, p sluice.ProjectRef, write bool) (string, error) {
	if p.Name != projectName && p.UUID != projectUUID {
		return "", sluice.Errorf(sluice.ENOTFOUND, "The project %s does not exist.", p)
	}
	c := sluice.CallerFromContext(ctx)
	if c == nil {
		return "", sluice.Errorf(sluice.EUNAUTHENTICATED, "No caller.")
	}
	role, ok := roles[c.User.Name]
	switch {
	case !ok:
		return "", sluice.Errorf(sluice.EFORBIDDEN, "%s is not a member of the project %s.", c.User.Name, p)
	case write && role == sluice.RoleViewer:
		return "", sluice.Errorf(sluice.EFORBIDDEN, "%s may only read the project %s.", c.User.Name, p)
	}
	return c.User.Name, nil
}

func key(group, name string) string { return group + "/" + name }

func (m *memory) tick() time.Time {
	m.now = m.now.Add(time.Second)
	return m.now
}

func (m *memory) uploadResources(ctx context.Context, p sluice.ProjectRef, u sluice.ResourceUpload) (*sluice.ResourceGroup, error) {
	caller, err := m.check(ctx, p, true)
	if err != nil {
		return nil, err
	}
	owner := caller
	if u.Owner != "" {
		if _, ok := roles[u.Owner]; !ok {
			return nil, sluice.Errorf(sluice.ENOTFOUND, "No such user. userName:%s.", u.Owner)
		}
		owner = u.Owner
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.tick()
	m.seq++
	uuid := fmt.Sprintf("5d2f9a3c-6b1e-4f0a-8c7d-%012d", m.seq)
	g := m.groups[u.Group]
	if g == nil && u.Group != "" {
		g = &sluice.ResourceGroup{Name: u.Group, Owner: owner, CreatedAt: now}
		m.groups[u.Group] = g
	}
	status := sluice.UploadReady
	if u.Async {
		status = sluice.UploadUploading
	}
	var uploaded []*sluice.Resource
	for _, src := range u.Sources {
		// The core's name rules, as far as these tests need them: the last path segment, no leading period.
		name := path.Base(src)
		if strings.HasPrefix(name, ".") {
			return nil, sluice.Errorf(sluice.EINVALID, "The resource name %q is invalid: it starts with a period.", name)
		}
		r := &sluice.Resource{Group: u.Group, Name: name, Kind: u.Kind, Status: status, UnderlyingName: uuid + "_" + name,
			Owner: owner, Source: src, Async: u.Async, Tags: slices.Clone(u.Tags), CreatedAt: now, UpdatedAt: now}
		if old := m.resources[key(u.Group, name)]; old != nil {
			r.CreatedAt = old.CreatedAt
		}
		m.resources[key(u.Group, name)] = r
		uploaded = append(uploaded, r)
	}
	// As the core does, the answer holds this request's resources, in the order of the sources.
	if g == nil {
		return &sluice.ResourceGroup{Owner: owner, Resources: uploaded}, nil
	}
	g.UpdatedAt, g.Async = now, u.Async
	answer := *g
	answer.Resources = uploaded
	return &answer, nil
}

func (m *memory) groupResources(group string) []*sluice.Resource {
	var out []*sluice.Resource
	for _, r := range m.resources {
		if r.Group == group {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *sluice.Resource) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func hasTags(r *sluice.Resource, tags []sluice.Tag) bool {
	for _, t := range tags {
		if !slices.Contains(r.Tags, t) {
			return false
		}
	}
	return true
}

func (m *memory) findResources(ctx context.Context, p sluice.ProjectRef, f sluice.ResourceFilter) (*sluice.ResourceListing, error) {
	if _, err := m.check(ctx, p, false); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	keep := func(rs []*sluice.Resource) []*sluice.Resource {
		var out []*sluice.Resource
		for _, r := range rs {
			if (f.Kind == "" || r.Kind == f.Kind) && hasTags(r, f.Tags) {
				out = append(out, r)
			}
		}
		return out
	}
	l := &sluice.ResourceListing{Resources: keep(m.groupResources("")),
		Modules: []*sluice.Module{{Name: "sys.datasource.rds", Type: sluice.KindJar, Description: "RDS datasource",
			Resources: []string{"rds-connector.jar"}, CreatedAt: time.UnixMilli(1600000000000)}}}
	var names []string
	for name := range m.groups {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		g := *m.groups[name]
		g.Resources = keep(m.groupResources(name))
		l.Groups = append(l.Groups, &g)
	}
	return l, nil
}

func (m *memory) find(group, name string) (*sluice.Resource, error) {
	r := m.resources[key(group, name)]
	if r == nil {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "The package %s does not exist in group %q.", name, group)
	}
	return r, nil
}

func (m *memory) findResource(ctx context.Context, p sluice.ProjectRef, group, name string) (*sluice.Resource, error) {
	if _, err := m.check(ctx, p, false); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.find(group, name)
	if err != nil {
		return nil, err
	}
	c := *r
	return &c, nil
}

func (m *memory) deleteResource(ctx context.Context, p sluice.ProjectRef, group, name string) error {
	if _, err := m.check(ctx, p, true); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.find(group, name); err != nil {
		return err
	}
	delete(m.resources, key(group, name))
	if group != "" && len(m.groupResources(group)) == 0 {
		delete(m.groups, group)
	}
	return nil
}

func (m *memory) changeOwner(ctx context.Context, p sluice.ProjectRef, group, name, newOwner string) error {
	if _, err := m.check(ctx, p, true); err != nil {
		return err
	}
	if _, ok := roles[newOwner]; !ok {
		return sluice.Errorf(sluice.ENOTFOUND, "No such user. userName:%s.", newOwner)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if name == "" {
		g := m.groups[group]
		if g == nil {
			return sluice.Errorf(sluice.ENOTFOUND, "The group %s does not exist.", group)
		}
		g.Owner = newOwner
		for _, r := range m.groupResources(group) {
			r.Owner = newOwner
		}
		return nil
	}
	r, err := m.find(group, name)
	if err != nil {
		return err
	}
	r.Owner = newOwner
	return nil
}

// retag changes a package's tags: every key given loses its tag, and with add gets the new one.
func (m *memory) retag(add bool) func(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
	return func(ctx context.Context, p sluice.ProjectRef, group, name string, tags []sluice.Tag) error {
		if _, err := m.check(ctx, p, true); err != nil {
			return err
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		r, err := m.find(group, name)
		if err != nil {
			return err
		}
		for _, t := range tags {
			r.Tags = slices.DeleteFunc(r.Tags, func(o sluice.Tag) bool { return o.Key == t.Key })
			if add {
				r.Tags = append(r.Tags, t)
			}
		}
		return nil
	}
}
