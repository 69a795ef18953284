package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// PackageSummary is a package created in the project.
type PackageSummary struct {
	Name      string    `json:"name"`
	Project   string    `json:"project"`
	CreatedAt time.Time `json:"createdAt"`
}

// PackageInstall is a package installed into the project from another.
type PackageInstall struct {
	Name          string    `json:"name"`
	SourceProject string    `json:"sourceProject"`
	Status        string    `json:"status"`
	InstalledAt   time.Time `json:"installedAt"`
}

// PackageListing is what a project shows under its packages: those created in it and those installed into
// it, each paged.
type PackageListing struct {
	Created   Page[PackageSummary] `json:"created"`
	Installed Page[PackageInstall] `json:"installed"`
}

// PackageObject is one object of a package and the actions it grants.
type PackageObject struct {
	Type    string   `json:"type"`
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// PackageAllow is a project allowed to install a package, with its clearance label (0–9).
type PackageAllow struct {
	Project string `json:"project"`
	Label   int    `json:"label"`
}

// Package is a package with its objects and allow-list. Own is true in the package's own project;
// Installed is true when it is seen from a project it is installed into (which sees only its own
// allow-list entry).
type Package struct {
	Name      string          `json:"name"`
	Project   string          `json:"project"`
	CreatedAt time.Time       `json:"createdAt"`
	Own       bool            `json:"own"`
	Installed bool            `json:"installed"`
	Objects   []PackageObject `json:"objects"`
	Allowed   []PackageAllow  `json:"allowed"`
}

func packageOut(p *sluice.Package, own bool) Package {
	out := Package{Name: p.Name, Project: p.Project, CreatedAt: p.CreatedAt, Own: own, Installed: !own,
		Objects: make([]PackageObject, 0, len(p.Objects)), Allowed: make([]PackageAllow, 0, len(p.Allowed))}
	for _, o := range p.Objects {
		acts := o.Actions
		if acts == nil {
			acts = []string{}
		}
		out.Objects = append(out.Objects, PackageObject{Type: string(o.Type), Schema: o.Schema, Name: o.Name, Actions: acts})
	}
	for _, a := range p.Allowed {
		out.Allowed = append(out.Allowed, PackageAllow{Project: a.Project, Label: a.Label})
	}
	return out
}

func (s *server) packageRoutes(api func(string, handler)) {
	const base = "/console/api/projects/{project}"
	api("GET "+base+"/packages", s.listPackages)
	api("POST "+base+"/packages", s.createPackage)
	api("GET "+base+"/packages/{name}", s.getPackage)
	api("POST "+base+"/packages/{name}/objects", s.addPackageObject)
	api("DELETE "+base+"/packages/{name}/objects/{type}/{object}", s.removePackageObject)
	api("POST "+base+"/packages/{name}/allow", s.allowProject)
	api("DELETE "+base+"/packages/{name}/allow/{consumer}", s.disallowProject)
	api("POST "+base+"/installs", s.installPackage)
	api("DELETE "+base+"/installs/{source}/{name}", s.uninstallPackage)
}

// listPackages answers ?offset=&limit= (created) and ?installedOffset= (installed, the same limit).
func (s *server) listPackages(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	installedOffset, err := intParam(r, "installedOffset", 0, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return nil, err
	}
	l, err := s.Catalog.FindPackages(ctx, projectRef(r))
	if err != nil {
		return nil, err
	}
	out := PackageListing{
		Created:   Page[PackageSummary]{Items: []PackageSummary{}, TotalCount: len(l.Created)},
		Installed: Page[PackageInstall]{Items: []PackageInstall{}, TotalCount: len(l.Installed)},
	}
	for _, p := range window(l.Created, offset, limit) {
		out.Created.Items = append(out.Created.Items, PackageSummary{Name: p.Name, Project: p.Project, CreatedAt: p.CreatedAt})
	}
	for _, in := range window(l.Installed, installedOffset, limit) {
		status := in.Status
		if status == "" {
			status = sluice.InstallOK
		}
		out.Installed.Items = append(out.Installed.Items, PackageInstall{Name: in.Package, SourceProject: in.SourceProject,
			Status: status, InstalledAt: in.InstalledAt})
	}
	return out, nil
}

// window is the page [offset, offset+limit) of xs.
func window[T any](xs []T, offset, limit int) []T {
	if offset >= len(xs) {
		return nil
	}
	return xs[offset:min(len(xs), offset+limit)]
}

// foreign reports whether source names a project other than the request's own.
func foreign(r *http.Request, source string) bool {
	return source != "" && !strings.EqualFold(source, r.PathValue("project"))
}

// getPackage answers a package of the project, or with ?source= one installed into it from there.
func (s *server) getPackage(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	source, name := strings.TrimSpace(r.URL.Query().Get("source")), r.PathValue("name")
	own := !foreign(r, source)
	if own {
		source = ""
	} else if _, err := s.Projects.Authorize(ctx, projectRef(r), sluice.Read); err != nil {
		return nil, err // the caller's own project: its refusal may be told
	}
	// Of another project's package, the core tells a caller who may not read that project nothing.
	p, err := s.Catalog.FindPackage(ctx, projectRef(r), name, source)
	if err != nil {
		return nil, err
	}
	return packageOut(p, own), nil
}

type createPackageIn struct {
	Name string `json:"name"`
}

func (s *server) createPackage(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in createPackageIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "Name the package.")
	}
	p, err := s.Catalog.CreatePackage(ctx, projectRef(r), sluice.Package{Name: strings.TrimSpace(in.Name)})
	if err != nil {
		return nil, err
	}
	return packageOut(p, true), nil
}

type objectIn struct {
	Type    string   `json:"type"`
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// addPackageObject adds an object of the project to its package; no actions means the core's defaults.
func (s *server) addPackageObject(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in objectIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Type) == "" || strings.TrimSpace(in.Name) == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "Give the object's type (table, resource or function) and name.")
	}
	o := sluice.PackageObject{Type: sluice.ObjectType(strings.TrimSpace(in.Type)), Schema: strings.TrimSpace(in.Schema),
		Name: strings.TrimSpace(in.Name), Actions: in.Actions}
	p, err := s.Catalog.UpdatePackage(ctx, projectRef(r), r.PathValue("name"), sluice.PackageUpdate{AddObjects: []sluice.PackageObject{o}})
	if err != nil {
		return nil, err
	}
	return packageOut(p, true), nil
}

// removePackageObject answers DELETE …/objects/{type}/{object}?schema=.
func (s *server) removePackageObject(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	o := sluice.PackageObject{Type: sluice.ObjectType(r.PathValue("type")), Schema: r.URL.Query().Get("schema"), Name: r.PathValue("object")}
	p, err := s.Catalog.UpdatePackage(ctx, projectRef(r), r.PathValue("name"), sluice.PackageUpdate{RemoveObjects: []sluice.PackageObject{o}})
	if err != nil {
		return nil, err
	}
	return packageOut(p, true), nil
}

type allowIn struct {
	Project string `json:"project"`
	Label   *int   `json:"label"`
}

// allowProject puts a project on the package's allow-list, or changes its label (0 when not given).
func (s *server) allowProject(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in allowIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Project) == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "Name the project to allow.")
	}
	label := 0
	if in.Label != nil {
		label = *in.Label
	}
	p, err := s.Catalog.UpdatePackage(ctx, projectRef(r), r.PathValue("name"),
		sluice.PackageUpdate{Allow: []sluice.PackageAllow{{Project: strings.TrimSpace(in.Project), Label: label}}})
	if err != nil {
		return nil, err
	}
	return packageOut(p, true), nil
}

// disallowProject takes a project off the allow-list, which uninstalls the package there.
func (s *server) disallowProject(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	p, err := s.Catalog.UpdatePackage(ctx, projectRef(r), r.PathValue("name"), sluice.PackageUpdate{Disallow: []string{r.PathValue("consumer")}})
	if err != nil {
		return nil, err
	}
	return packageOut(p, true), nil
}

type installIn struct {
	Source string `json:"source"`
	Name   string `json:"name"`
}

// installPackage installs source's package into the project. The caller must be able to install into
// the project at all (the core's Manage): that refusal is told as it is. Past it, whether the source
// project exists, whether it has the package and whether the package is offered to this project are
// answered alike, so a project's admin cannot probe other projects by trying installs.
func (s *server) installPackage(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in installIn
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	in.Source, in.Name = strings.TrimSpace(in.Source), strings.TrimSpace(in.Name)
	if in.Source == "" || in.Name == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "Give the source project and the package name to install.")
	}
	if !foreign(r, in.Source) {
		return nil, sluice.Errorf(sluice.EINVALID, "A project cannot install its own packages: name another source project.")
	}
	if _, err := s.Projects.Authorize(ctx, projectRef(r), sluice.Manage); err != nil {
		return nil, err
	}
	got, err := s.Catalog.InstallPackage(ctx, projectRef(r), in.Source, in.Name)
	if err != nil {
		return nil, err
	}
	return PackageInstall{Name: got.Package, SourceProject: got.SourceProject, Status: sluice.InstallOK, InstalledAt: got.InstalledAt}, nil
}

func (s *server) uninstallPackage(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	source, name := r.PathValue("source"), r.PathValue("name")
	if _, err := s.Projects.Authorize(ctx, projectRef(r), sluice.Manage); err != nil {
		return nil, err
	}
	if err := s.Catalog.UninstallPackage(ctx, projectRef(r), source, name); err != nil {
		return nil, err
	}
	return PackageInstall{Name: strings.ToLower(name), SourceProject: source, Status: "UNINSTALLED"}, nil
}
