package core

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

var _ sluice.CatalogService = (*Service)(nil)

// The MaxCompute catalogue and packages (maxcompute-packages.md). Who may do what:
//
//	reading a project's catalogue (SHOW, DESC, List*, Get*)    Read on the project
//	DDL on tables, views and functions                         Write
//	labels and every package statement of the source project   Manage (MaxCompute: the owner or an Admin)
//	installing and uninstalling into a consumer project        Manage on the consumer
//
// and, for a caller who is not a member of an object's project, what the packages installed into its
// projects grant: read-only actions, and columns at or below the package's label, lineage's included
// (labels.go). objectAccess is the one place where that is decided; every face reaches objects through it.

// Names: MaxCompute object names are case-insensitive, kept lower case. Tables, views, functions and
// packages: letters, digits and underscores, at most 128 characters; tables, views and functions may start
// with a digit or an underscore, packages may not start with a digit (spec §7).
var (
	objectNameRE  = regexp.MustCompile(`^[A-Za-z0-9_]{1,128}$`)
	packageNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
)

// Catalogue limits: MaxCompute's documented ones.
const (
	maxColumns          = 1200  // columns of a table, partition columns included
	maxPartitionColumns = 6     // partition levels
	maxCommentBytes     = 1024  // table and column comments
	maxLifecycle        = 37231 // days, MaxCompute's largest lifecycle
	maxPackageObjects   = 1000
	maxPackages         = 100000 // created in one project
	maxInstalls         = 100000 // of one package, and into one project
	maxInstallsFrom     = 100    // packages of one source project installed into one consumer
	maxScriptStatements = 100000
)

// actions are the privileges a package may grant on each object type (spec §7.1), lower case.
var actions = map[sluice.ObjectType][]string{
	sluice.ObjectTable:    {"describe", "select", "alter", "update", "drop", "showhistory", "all"},
	sluice.ObjectResource: {"read", "write", "delete", "all"},
	sluice.ObjectFunction: {"read", "write", "delete", "execute", "all"},
	sluice.ObjectInstance: {"read", "write", "all"},
}

// defaultActions are granted when ADD ... TO PACKAGE names none. MaxCompute's default is "Read, Describe,
// Select"; each type keeps those of the three that apply to it.
var defaultActions = map[sluice.ObjectType][]string{
	sluice.ObjectTable:    {"describe", "select"},
	sluice.ObjectResource: {"read"},
	sluice.ObjectFunction: {"read"},
	sluice.ObjectInstance: {"read"},
}

// readActions are the actions through which a consumer may see an object (describe a table, read a
// resource or a function's definition). Everything else changes an object and is never granted to a
// consumer, whatever the package says: an installed package is read-only.
var readActions = map[sluice.ObjectType][]string{
	sluice.ObjectTable:    {"describe", "all"},
	sluice.ObjectResource: {"read", "all"},
	sluice.ObjectFunction: {"read", "execute", "all"},
	sluice.ObjectInstance: {"read", "all"},
}

// parseObjectType reads an object type in any case.
func parseObjectType(s string) (sluice.ObjectType, error) {
	t := sluice.ObjectType(strings.ToLower(s))
	if _, ok := actions[t]; !ok {
		return "", sluice.Errorf(sluice.EINVALID, "The object type %q is invalid: use table, resource, function or instance.", s)
	}
	return t, nil
}

// normalizeActions checks a package object's actions against its type (any case in, lower case out,
// duplicates dropped, in the order of spec §7.1); none means the defaults.
func normalizeActions(typ sluice.ObjectType, in []string) ([]string, error) {
	if len(in) == 0 {
		return slices.Clone(defaultActions[typ]), nil
	}
	valid := actions[typ]
	want := map[string]bool{}
	for _, a := range in {
		a = strings.ToLower(strings.TrimSpace(a))
		if !slices.Contains(valid, a) {
			return nil, sluice.Errorf(sluice.EINVALID, "The action %q is invalid for a %s: use %s.", a, typ, strings.Join(valid, ", "))
		}
		want[a] = true
	}
	var out []string
	for _, a := range valid {
		if want[a] {
			out = append(out, a)
		}
	}
	return out, nil
}

// objectKey lower-cases an object's schema and name, defaulting the schema. Resource names are file names
// and keep their case.
func objectKey(typ sluice.ObjectType, schema, name string) (string, string) {
	schema = strings.ToLower(schema)
	if schema == "" {
		schema = sluice.DefaultSchema
	}
	if typ != sluice.ObjectResource {
		name = strings.ToLower(name)
	}
	return schema, name
}

func checkObjectName(what, name string) error {
	if !objectNameRE.MatchString(name) {
		return sluice.Errorf(sluice.EINVALID, "The %s name %q is invalid: use 1 to 128 letters, digits or underscores.", what, name)
	}
	return nil
}

func checkComment(what, comment string) error {
	if len(comment) > maxCommentBytes {
		return sluice.Errorf(sluice.EINVALID, "The comment of %s is longer than %d bytes.", what, maxCommentBytes)
	}
	if !utf8.ValidString(comment) {
		return sluice.Errorf(sluice.EINVALID, "The comment of %s is not valid UTF-8.", what)
	}
	return nil
}

func checkLabel(label int) error {
	if label < 0 || label > sluice.MaxLabel {
		return sluice.Errorf(sluice.EINVALID, "The label %d is invalid: labels run from 0 to %d.", label, sluice.MaxLabel)
	}
	return nil
}

// catalogRun is one transaction over the catalogue on behalf of one caller: every statement of a script,
// or one API call. It remembers the projects and rights it has looked up, so a long script asks once.
type catalogRun struct {
	s    *Service
	ctx  context.Context
	tx   sluice.CatalogTx
	user *sluice.User
	home *sluice.Project // the project statements run in

	projects  map[string]*sluice.Project // by name
	rights    map[rightKey]error         // authorize's answers
	consumers []int64                    // the caller's projects, for objectAccess; nil until needed

	packageCount map[int64]int // packages per project, once counted
	readOnly     bool          // a read transaction: what it reads is committed
}

type rightKey struct {
	project int64
	access  sluice.Access
}

// newRun starts a run in home; projects are every project it may touch, resolved beforehand (the
// transaction holds their catalogue locks).
func (s *Service) newRun(ctx context.Context, tx sluice.CatalogTx, home *sluice.Project, projects []*sluice.Project) *catalogRun {
	u, _ := caller(ctx) // checked by resolve before any transaction starts
	r := &catalogRun{s: s, ctx: ctx, tx: tx, user: u, home: home, projects: map[string]*sluice.Project{}, rights: map[rightKey]error{},
		packageCount: map[int64]int{}}
	for _, p := range projects {
		r.projects[strings.ToLower(p.Name)] = p
	}
	r.projects[strings.ToLower(home.Name)] = home
	return r
}

// resolve finds the projects a run names: home first, then others ("" means home). A missing project gets
// the answer of a project the caller may not see (noAccess).
func (s *Service) resolve(ctx context.Context, home sluice.ProjectRef, names []string) (*sluice.Project, []*sluice.Project, []int64, error) {
	if _, err := caller(ctx); err != nil {
		return nil, nil, nil, err
	}
	h, err := s.store.FindProject(ctx, home)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil, nil, noAccess()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	seen := map[string]bool{strings.ToLower(h.Name): true}
	ps := []*sluice.Project{h}
	ids := []int64{h.ID}
	for _, n := range names {
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		p, err := s.findProjectNamed(ctx, n)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			return nil, nil, nil, noAccess() // as for a project the caller may not see
		}
		if err != nil {
			return nil, nil, nil, err
		}
		ps = append(ps, p)
		ids = append(ids, p.ID)
	}
	return h, ps, ids, nil
}

// findProjectNamed finds a project by name as MaxCompute users write it: exactly, or else in any case.
func (s *Service) findProjectNamed(ctx context.Context, name string) (*sluice.Project, error) {
	p, err := s.store.FindProject(ctx, sluice.ProjectByName(name))
	if sluice.ErrorCode(err) == sluice.ENOTFOUND && name != strings.ToLower(name) {
		p, err = s.store.FindProject(ctx, sluice.ProjectByName(strings.ToLower(name)))
	}
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Project %s does not exist.", name)
	}
	return p, err
}

// project returns a project the run resolved ("" is home).
func (r *catalogRun) project(name string) (*sluice.Project, error) {
	if name == "" {
		return r.home, nil
	}
	if p, ok := r.projects[strings.ToLower(name)]; ok {
		return p, nil
	}
	return nil, sluice.Errorf(sluice.ENOTFOUND, "Project %s does not exist.", name)
}

// need checks that the caller has access to p, through the one Authorize.
func (r *catalogRun) need(p *sluice.Project, access sluice.Access) error {
	k := rightKey{p.ID, access}
	if err, ok := r.rights[k]; ok {
		return err
	}
	_, err := r.s.Authorize(r.ctx, sluice.ProjectByID(p.ID), access)
	if c := sluice.ErrorCode(err); c != "" && c != sluice.EFORBIDDEN && c != sluice.ENOTFOUND {
		return err // not an answer about rights: do not remember it
	}
	r.rights[k] = err
	return err
}

// objectView is how the caller may see an object: as a member of its project (Grant nil), or through the
// packages installed into its projects (Grant: their actions and the highest label among them).
type objectView struct {
	Project *sluice.Project
	Grant   *sluice.ObjectGrant
}

// objectAccess decides whether the caller may act on an object of project p: action is one of the
// object type's actions (spec §7.1). Members need Read for read actions and Write for the rest; anyone
// else needs an installed package granting a read action. This is the one place where shared objects
// are authorized.
func (r *catalogRun) objectAccess(p *sluice.Project, typ sluice.ObjectType, schema, name, action string) (*objectView, error) {
	read := slices.Contains(readActions[typ], action)
	access := sluice.Write
	if read {
		access = sluice.Read
	}
	err := r.need(p, access)
	if err == nil {
		return &objectView{Project: p}, nil
	}
	if !read || sluice.ErrorCode(err) != sluice.EFORBIDDEN {
		return nil, err
	}
	if member, merr := r.s.store.FindMember(r.ctx, p.ID, r.user.ID); merr == nil && member != nil {
		return nil, err // a member whose role falls short is not helped by packages
	}
	if r.consumers == nil {
		ps, _, ferr := r.s.store.FindProjects(r.ctx, sluice.ProjectFilter{MemberID: &r.user.ID, NoTotal: true})
		if ferr != nil {
			return nil, ferr
		}
		r.consumers = []int64{}
		for _, c := range ps {
			r.consumers = append(r.consumers, c.ID)
		}
	}
	if len(r.consumers) == 0 {
		return nil, err
	}
	grants, gerr := r.tx.FindGrants(r.ctx, r.consumers, p.ID, typ, schema, name)
	if gerr != nil {
		return nil, gerr
	}
	var best *sluice.ObjectGrant
	for i := range grants {
		g := &grants[i]
		if !slices.Contains(g.Actions, action) && !slices.Contains(g.Actions, "all") {
			continue
		}
		if best == nil || g.Label > best.Label {
			best = g
		}
	}
	if best == nil {
		return nil, err // the same answer whether or not the object exists
	}
	return &objectView{Project: p, Grant: best}, nil
}

// table finds a table or view of p the caller may act on.
func (r *catalogRun) table(p *sluice.Project, schema, name, action string) (*sluice.CatalogTable, *objectView, error) {
	schema, name = objectKey(sluice.ObjectTable, schema, name)
	v, err := r.objectAccess(p, sluice.ObjectTable, schema, name, action)
	if err != nil {
		return nil, nil, err
	}
	t, err := r.tx.FindTable(r.ctx, p.ID, schema, name)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, nil, sluice.Errorf(sluice.ENOTFOUND, "Table %s.%s does not exist.", p.Name, name)
	}
	if err != nil {
		return nil, nil, err
	}
	return t, v, nil
}

// Reads over the catalogue (the ROA List*/Get* APIs).

// read runs fn in a read transaction over project ref, with names resolved as for a script.
func (s *Service) read(ctx context.Context, ref sluice.ProjectRef, names []string, fn func(r *catalogRun) error) error {
	home, ps, _, err := s.resolve(ctx, ref, names)
	if err != nil {
		return err
	}
	return s.store.ReadCatalog(ctx, func(tx sluice.CatalogTx) error {
		r := s.newRun(ctx, tx, home, ps)
		r.readOnly = true
		return fn(r)
	})
}

// readValue is read for a call that answers one value.
func readValue[T any](s *Service, ctx context.Context, ref sluice.ProjectRef, names []string, fn func(r *catalogRun) (T, error)) (T, error) {
	var out T
	err := s.read(ctx, ref, names, func(r *catalogRun) (err error) {
		out, err = fn(r)
		return err
	})
	return out, err
}

// updateValue is update for a call that answers one value.
func updateValue[T any](s *Service, ctx context.Context, ref sluice.ProjectRef, names []string, e *sluice.AuditEntry, fn func(r *catalogRun) (T, error)) (T, error) {
	var out T
	err := s.update(ctx, ref, names, e, func(r *catalogRun) (err error) {
		out, err = fn(r)
		return err
	})
	return out, err
}

// update runs fn in a write transaction holding the catalogue locks of ref and the projects named; the
// transaction records the audit entry e of the change in the home project.
func (s *Service) update(ctx context.Context, ref sluice.ProjectRef, names []string, e *sluice.AuditEntry, fn func(r *catalogRun) error) error {
	home, ps, ids, err := s.resolve(ctx, ref, names)
	if err != nil {
		return err
	}
	return s.store.UpdateCatalog(audited(ctx, home, e), ids, func(tx sluice.CatalogTx) error { return fn(s.newRun(ctx, tx, home, ps)) })
}

// FindTables lists a project's tables and views.
func (s *Service) FindTables(ctx context.Context, ref sluice.ProjectRef, f sluice.TableFilter) ([]*sluice.CatalogTable, error) {
	return readValue(s, ctx, ref, nil, func(r *catalogRun) ([]*sluice.CatalogTable, error) {
		if err := r.need(r.home, sluice.Read); err != nil {
			return nil, err
		}
		f.ProjectID = r.home.ID
		f.Schema, f.Prefix = strings.ToLower(f.Schema), strings.ToLower(f.Prefix)
		return r.tx.FindTables(r.ctx, f)
	})
}

// FindCatalogTable returns a table of a project, as the caller may see it.
func (s *Service) FindCatalogTable(ctx context.Context, ref sluice.ProjectRef, schema, name string) (*sluice.CatalogTable, error) {
	return readValue(s, ctx, ref, nil, func(r *catalogRun) (*sluice.CatalogTable, error) {
		return r.shownTable(r.home, schema, name)
	})
}

// FindFunctions lists a project's functions.
func (s *Service) FindFunctions(ctx context.Context, ref sluice.ProjectRef, f sluice.FunctionFilter) ([]*sluice.Function, error) {
	return readValue(s, ctx, ref, nil, func(r *catalogRun) ([]*sluice.Function, error) {
		if err := r.need(r.home, sluice.Read); err != nil {
			return nil, err
		}
		f.ProjectID = r.home.ID
		f.Schema, f.Prefix = strings.ToLower(f.Schema), strings.ToLower(f.Prefix)
		return r.tx.FindFunctions(r.ctx, f)
	})
}

// FindPackages lists the packages created in and installed into a project.
func (s *Service) FindPackages(ctx context.Context, ref sluice.ProjectRef) (*sluice.PackageListing, error) {
	return readValue(s, ctx, ref, nil, (*catalogRun).showPackages)
}

// FindPackage returns a package of project (source "" or project itself), or one installed into project
// from source.
func (s *Service) FindPackage(ctx context.Context, ref sluice.ProjectRef, name, source string) (*sluice.Package, error) {
	return readValue(s, ctx, ref, []string{source}, func(r *catalogRun) (*sluice.Package, error) {
		return r.describePackage(source, name)
	})
}

// CreatePackage creates a package with the objects p names, in one transaction.
func (s *Service) CreatePackage(ctx context.Context, ref sluice.ProjectRef, p sluice.Package) (*sluice.Package, error) {
	return updateValue(s, ctx, ref, nil, entry("CreatePackage", "package", p.Name, nil, ""), func(r *catalogRun) (*sluice.Package, error) {
		pkg, err := r.createPackage(p.Name)
		if err != nil {
			return nil, err
		}
		for _, o := range p.Objects {
			if err := r.addObject(pkg, o); err != nil {
				return nil, err
			}
		}
		return r.tx.FindPackage(r.ctx, r.home.ID, pkg.Name)
	})
}

// UpdatePackage changes a package's allow-list and objects, in one transaction: removals first, so an
// object can be removed and added back with other actions in one call.
func (s *Service) UpdatePackage(ctx context.Context, ref sluice.ProjectRef, name string, u sluice.PackageUpdate) (*sluice.Package, error) {
	names := slices.Clone(u.Disallow)
	for _, a := range u.Allow {
		names = append(names, a.Project)
	}
	return updateValue(s, ctx, ref, names, entry("UpdatePackage", "package", name, nil, ""), func(r *catalogRun) (*sluice.Package, error) {
		pkg, err := r.ownPackage(name)
		if err != nil {
			return nil, err
		}
		for _, o := range u.RemoveObjects {
			if err := r.removeObject(pkg, string(o.Type), o.Schema, o.Name); err != nil {
				return nil, err
			}
		}
		for _, prj := range u.Disallow {
			if err := r.disallow(pkg, prj); err != nil {
				return nil, err
			}
		}
		for _, o := range u.AddObjects {
			if err := r.addObject(pkg, o); err != nil {
				return nil, err
			}
		}
		for _, a := range u.Allow {
			if err := r.allow(pkg, a.Project, a.Label); err != nil {
				return nil, err
			}
		}
		return r.tx.FindPackage(r.ctx, r.home.ID, pkg.Name)
	})
}

// InstallPackage installs source's package into project.
func (s *Service) InstallPackage(ctx context.Context, ref sluice.ProjectRef, source, name string) (*sluice.PackageInstall, error) {
	e := entry("InstallPackage", "package", name, nil, "from "+source)
	return updateValue(s, ctx, ref, []string{source}, e, func(r *catalogRun) (*sluice.PackageInstall, error) {
		return r.install(source, name)
	})
}

// UninstallPackage removes an installation.
func (s *Service) UninstallPackage(ctx context.Context, ref sluice.ProjectRef, source, name string) error {
	e := entry("UninstallPackage", "package", name, nil, "from "+source)
	return s.update(ctx, ref, nil, e, func(r *catalogRun) error { return r.uninstall(source, name) })
}

// Packages: the rules, written once for the SQL statements and the ROA API.

// ownPackage finds a package of home for a change, which needs Manage.
func (r *catalogRun) ownPackage(name string) (*sluice.Package, error) {
	if err := r.need(r.home, sluice.Manage); err != nil {
		return nil, err
	}
	return r.findPackage(r.home, name)
}

func (r *catalogRun) findPackage(p *sluice.Project, name string) (*sluice.Package, error) {
	pkg, err := r.tx.FindPackage(r.ctx, p.ID, strings.ToLower(name))
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Package %s.%s does not exist.", p.Name, name)
	}
	return pkg, err
}

func (r *catalogRun) createPackage(name string) (*sluice.Package, error) {
	if err := r.need(r.home, sluice.Manage); err != nil {
		return nil, err
	}
	if !packageNameRE.MatchString(name) {
		return nil, sluice.Errorf(sluice.EINVALID, "The package name %q is invalid: use 1 to 128 letters, digits or underscores, not starting with a digit.", name)
	}
	n, ok := r.packageCount[r.home.ID]
	if !ok { // counted once per run: a script creating thousands of packages must not count them each time
		var err error
		if n, err = r.tx.CountPackages(r.ctx, r.home.ID); err != nil {
			return nil, err
		}
	}
	if n >= maxPackages {
		return nil, sluice.Errorf(sluice.ECONFLICT, "Project %s has %d packages, the most a project may create.", r.home.Name, maxPackages)
	}
	pkg := &sluice.Package{ProjectID: r.home.ID, Project: r.home.Name, Name: strings.ToLower(name)}
	if err := r.tx.CreatePackage(r.ctx, pkg); err != nil {
		if sluice.ErrorCode(err) == sluice.ECONFLICT {
			return nil, sluice.Errorf(sluice.ECONFLICT, "Package %s.%s already exists.", r.home.Name, name)
		}
		return nil, err
	}
	r.packageCount[r.home.ID] = n + 1
	return pkg, nil
}

func (r *catalogRun) dropPackage(name string) error {
	pkg, err := r.ownPackage(name)
	if err != nil {
		return err
	}
	if err := r.tx.DeletePackage(r.ctx, pkg.ID); err != nil {
		return err
	}
	delete(r.packageCount, r.home.ID)
	return nil
}

// addObject adds an object of home to a package. The object must exist ("*" stands for every object of
// its type, now and later); instances are not kept by Sluice and cannot be added by name.
func (r *catalogRun) addObject(pkg *sluice.Package, o sluice.PackageObject) error {
	typ, err := parseObjectType(string(o.Type))
	if err != nil {
		return err
	}
	schema, name := objectKey(typ, o.Schema, o.Name)
	acts, err := normalizeActions(typ, o.Actions)
	if err != nil {
		return err
	}
	if name != "*" {
		if err := r.objectExists(typ, schema, name); err != nil {
			return err
		}
	}
	if len(pkg.Objects) >= maxPackageObjects {
		return sluice.Errorf(sluice.ECONFLICT, "Package %s holds %d objects, the most a package may hold.", pkg.Name, maxPackageObjects)
	}
	obj := sluice.PackageObject{Type: typ, Schema: schema, Name: name, Actions: acts}
	if err := r.checkDerivedLabels(pkg, []sluice.PackageObject{obj}, pkg.Allowed); err != nil {
		return err
	}
	if err := r.tx.AddPackageObject(r.ctx, pkg.ID, obj); err != nil {
		if sluice.ErrorCode(err) == sluice.ECONFLICT {
			return sluice.Errorf(sluice.ECONFLICT, "Package %s already holds %s %s: remove it first to change its privileges.", pkg.Name, typ, name)
		}
		return err
	}
	pkg.Objects = append(pkg.Objects, obj)
	return nil
}

func (r *catalogRun) objectExists(typ sluice.ObjectType, schema, name string) error {
	var err error
	switch typ {
	case sluice.ObjectTable:
		_, err = r.tx.FindTable(r.ctx, r.home.ID, schema, name)
	case sluice.ObjectFunction:
		_, err = r.tx.FindFunction(r.ctx, r.home.ID, schema, name)
	case sluice.ObjectResource:
		var rs []*sluice.Resource
		if rs, err = r.tx.FindResourcesNamed(r.ctx, r.home.ID, name); err == nil && len(rs) == 0 {
			err = sluice.Errorf(sluice.ENOTFOUND, "")
		}
	case sluice.ObjectInstance:
		return sluice.Errorf(sluice.EINVALID, "Sluice keeps no instances: only * can be added as an instance.")
	}
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return sluice.Errorf(sluice.ENOTFOUND, "The %s %s does not exist in project %s.", typ, name, r.home.Name)
	}
	return err
}

func (r *catalogRun) removeObject(pkg *sluice.Package, typeName, schema, name string) error {
	typ, err := parseObjectType(typeName)
	if err != nil {
		return err
	}
	schema, name = objectKey(typ, schema, name)
	removed, err := r.tx.RemovePackageObject(r.ctx, pkg.ID, typ, schema, name)
	if err != nil {
		return err
	}
	if !removed {
		return sluice.Errorf(sluice.ENOTFOUND, "Package %s does not hold %s %s.", pkg.Name, typ, name)
	}
	return nil
}

func (r *catalogRun) allow(pkg *sluice.Package, project string, label int) error {
	if err := checkLabel(label); err != nil {
		return err
	}
	p, err := r.project(project)
	if err != nil {
		return err
	}
	if p.ID == r.home.ID {
		return sluice.Errorf(sluice.EINVALID, "Package %s belongs to project %s: allow other projects to install it.", pkg.Name, p.Name)
	}
	a := sluice.PackageAllow{ProjectID: p.ID, Project: p.Name, Label: label}
	if err := r.checkDerivedLabels(pkg, pkg.Objects, []sluice.PackageAllow{a}); err != nil {
		return err
	}
	return r.tx.PutPackageAllow(r.ctx, pkg.ID, a)
}

func (r *catalogRun) disallow(pkg *sluice.Package, project string) error {
	p, err := r.project(project)
	if err != nil {
		return err
	}
	removed, err := r.tx.DeletePackageAllow(r.ctx, pkg.ID, p.ID)
	if err != nil {
		return err
	}
	if !removed {
		return sluice.Errorf(sluice.ENOTFOUND, "Project %s is not allowed to install package %s.", p.Name, pkg.Name)
	}
	return nil
}

// install installs source.name into home: the caller manages home, and home is on the allow-list.
func (r *catalogRun) install(source, name string) (*sluice.PackageInstall, error) {
	if err := r.need(r.home, sluice.Manage); err != nil {
		return nil, err
	}
	src, err := r.project(source)
	if err != nil {
		return nil, err
	}
	if src.ID == r.home.ID {
		return nil, sluice.Errorf(sluice.EINVALID, "Package %s belongs to project %s: a project cannot install its own packages.", name, src.Name)
	}
	pkg, err := r.findPackage(src, name)
	if err == nil && !slices.ContainsFunc(pkg.Allowed, func(a sluice.PackageAllow) bool { return a.ProjectID == r.home.ID }) {
		err = sluice.Errorf(sluice.EFORBIDDEN, "Project %s is not allowed to install package %s.%s.", r.home.Name, src.Name, pkg.Name)
	}
	if err != nil {
		return nil, r.unseen(src, err)
	}
	installed, err := r.tx.FindInstalls(r.ctx, r.home.ID)
	if err != nil {
		return nil, err
	}
	from := 0
	for _, in := range installed {
		if in.PackageID == pkg.ID {
			return nil, sluice.Errorf(sluice.ECONFLICT, "Package %s.%s is already installed in project %s.", src.Name, pkg.Name, r.home.Name)
		}
		if in.SourceProjectID == src.ID {
			from++
		}
	}
	switch n, err := r.tx.CountInstalls(r.ctx, pkg.ID); {
	case err != nil:
		return nil, err
	case len(installed) >= maxInstalls:
		return nil, sluice.Errorf(sluice.ECONFLICT, "Project %s has %d packages installed, the most a project may install.", r.home.Name, maxInstalls)
	case from >= maxInstallsFrom:
		return nil, sluice.Errorf(sluice.ECONFLICT, "Project %s has %d packages of project %s installed, the most from one project.", r.home.Name, maxInstallsFrom, src.Name)
	case n >= maxInstalls:
		return nil, sluice.Errorf(sluice.ECONFLICT, "Package %s.%s is installed in %d projects, the most for one package.", src.Name, pkg.Name, maxInstalls)
	}
	in := &sluice.PackageInstall{PackageID: pkg.ID, Package: pkg.Name, SourceProjectID: src.ID, SourceProject: src.Name,
		ProjectID: r.home.ID, Status: sluice.InstallOK}
	if err := r.tx.CreateInstall(r.ctx, in); err != nil {
		return nil, err
	}
	return in, nil
}

// uninstall removes the installation of source.name from home. It goes by home's installations, which the
// caller may list, and looks at nothing of source: the answer is the same whether source exists or not.
func (r *catalogRun) uninstall(source, name string) error {
	if err := r.need(r.home, sluice.Manage); err != nil {
		return err
	}
	installed, err := r.tx.FindInstalls(r.ctx, r.home.ID)
	if err != nil {
		return err
	}
	for _, in := range installed {
		if strings.EqualFold(in.SourceProject, source) && strings.EqualFold(in.Package, name) {
			_, err := r.tx.DeleteInstall(r.ctx, in.PackageID, r.home.ID)
			return err
		}
	}
	return sluice.Errorf(sluice.ENOTFOUND, "Package %s.%s is not installed in project %s.", source, name, r.home.Name)
}

// unseen is err, about a package of src, as the caller may be told it: a caller who may not read src gets
// the answer of a project it may not see, so that it learns nothing of src's packages but those installed
// into home.
func (r *catalogRun) unseen(src *sluice.Project, err error) error {
	if c := sluice.ErrorCode(err); c != sluice.ENOTFOUND && c != sluice.EFORBIDDEN {
		return err
	}
	if r.need(src, sluice.Read) != nil {
		return noAccess()
	}
	return err
}

// describePackage answers DESCRIBE PACKAGE and GetPackage. In its own project a package shows everything;
// installed into home from source it shows its objects and home's own allow-list entry, not the other
// projects allowed.
func (r *catalogRun) describePackage(source, name string) (*sluice.Package, error) {
	if err := r.need(r.home, sluice.Read); err != nil {
		return nil, err
	}
	src, err := r.project(source)
	if err != nil {
		return nil, err
	}
	pkg, err := r.findPackage(src, name)
	if err != nil {
		return nil, r.unseen(src, err)
	}
	if src.ID == r.home.ID {
		return pkg, nil
	}
	installed, err := r.tx.FindInstalls(r.ctx, r.home.ID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(installed, func(in *sluice.PackageInstall) bool { return in.PackageID == pkg.ID }) {
		return nil, r.unseen(src, sluice.Errorf(sluice.ENOTFOUND, "Package %s.%s is not installed in project %s.", src.Name, name, r.home.Name))
	}
	pkg.Allowed = slices.DeleteFunc(pkg.Allowed, func(a sluice.PackageAllow) bool { return a.ProjectID != r.home.ID })
	return pkg, nil
}

func (r *catalogRun) showPackages() (*sluice.PackageListing, error) {
	if err := r.need(r.home, sluice.Read); err != nil {
		return nil, err
	}
	version, err := r.tx.PackageListingVersion(r.ctx, r.home.ID)
	if err != nil {
		return nil, err
	}
	if l := r.s.cachedPackages(r.home, version); l != nil {
		return l, nil
	}
	created, err := r.tx.FindPackages(r.ctx, r.home.ID)
	if err != nil {
		return nil, err
	}
	installed, err := r.tx.FindInstalls(r.ctx, r.home.ID)
	if err != nil {
		return nil, err
	}
	l := &sluice.PackageListing{Created: created, Installed: installed}
	if r.readOnly {
		// Only what a read transaction saw is committed: a write transaction's listing may yet roll back.
		r.s.cachePackages(r.home, version, l)
	}
	return l, nil
}

// cachedPackageListing is a project's package listing as read at a version. The key is the project's UUID,
// not its id: SQLite may give a deleted project's id to the next one.
type cachedPackageListing struct {
	version int64
	listing *sluice.PackageListing
}

// maxCachedListings bounds the package listing cache; past it the cache starts again.
const maxCachedListings = 1000

func (s *Service) cachedPackages(p *sluice.Project, version int64) *sluice.PackageListing {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.packageListings[p.UUID]; ok && c.version == version {
		return c.listing
	}
	return nil
}

func (s *Service) cachePackages(p *sluice.Project, version int64, l *sluice.PackageListing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.packageListings == nil || len(s.packageListings) >= maxCachedListings {
		s.packageListings = map[string]cachedPackageListing{}
	}
	s.packageListings[p.UUID] = cachedPackageListing{version: version, listing: l}
}

// checkColumns refuses duplicate names (case-insensitively) among a table's columns and partition
// columns, and too many of them.
func checkColumns(table string, cols, parts []sluice.Column) error {
	if len(cols)+len(parts) > maxColumns {
		return sluice.Errorf(sluice.EINVALID, "Table %s would have %d columns; a table has at most %d.", table, len(cols)+len(parts), maxColumns)
	}
	if len(parts) > maxPartitionColumns {
		return sluice.Errorf(sluice.EINVALID, "Table %s would have %d partition columns; a table has at most %d.", table, len(parts), maxPartitionColumns)
	}
	seen := map[string]bool{}
	for _, c := range slices.Concat(cols, parts) {
		if err := checkObjectName("column", c.Name); err != nil {
			return err
		}
		if err := checkComment("column "+c.Name, c.Comment); err != nil {
			return err
		}
		if seen[c.Name] {
			return sluice.Errorf(sluice.EINVALID, "Table %s has two columns named %s.", table, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// partitionTypes are the types a partition column may have.
var partitionTypes = []string{"string", "tinyint", "smallint", "int", "bigint"}

func checkPartitionTypes(parts []sluice.Column) error {
	for _, c := range parts {
		if !slices.Contains(partitionTypes, c.Type) && !strings.HasPrefix(c.Type, "varchar(") && !strings.HasPrefix(c.Type, "char(") {
			return sluice.Errorf(sluice.EINVALID, "Partition column %s cannot be of type %s: use string, varchar, char, tinyint, smallint, int or bigint.", c.Name, c.Type)
		}
	}
	return nil
}
