package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
)

// Resource is one file of a project's resource centre.
type Resource struct {
	Name      string    `json:"name"`
	Group     string    `json:"group"` // "" when ungrouped
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`           // UPLOADING, READY or FAILED
	Reason    string    `json:"reason,omitempty"` // why it FAILED
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256,omitempty"`
	Owner     string    `json:"owner"`
	Source    string    `json:"source,omitempty"`
	Tags      []Tag     `json:"tags"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Tag is a key and value on a resource.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ResourceGroup sums up a group: its resources are among the listing's items.
type ResourceGroup struct {
	Name          string    `json:"name"`
	Owner         string    `json:"owner"`
	Status        string    `json:"status"`
	ResourceCount int       `json:"resourceCount"` // of the listing's filter
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

// Module is a built-in, read-only group every project sees.
type Module struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Description string   `json:"description,omitempty"`
	Resources   []string `json:"resources"`
}

// ResourceListing is one page of a project's resources (ungrouped first, then by group and name), the
// groups the filter selects and the modules. A project may hold many thousands of resources, so the
// resources are paged; groups and modules are few and come whole.
type ResourceListing struct {
	Items      []Resource      `json:"items"`
	TotalCount int             `json:"totalCount"`
	Uploading  int             `json:"uploading"` // resources of the filter still UPLOADING, on any page
	Groups     []ResourceGroup `json:"groups"`
	Modules    []Module        `json:"modules"`
}

// ResourceDeleted answers a deletion.
type ResourceDeleted struct {
	Name    string `json:"name"`
	Group   string `json:"group"`
	Deleted bool   `json:"deleted"`
}

func resourceOut(r *sluice.Resource) Resource {
	out := Resource{Name: r.Name, Group: r.Group, Kind: string(r.Kind), Status: string(r.Status), Reason: r.Reason,
		Size: r.Size, SHA256: r.SHA256, Owner: r.Owner, Source: r.Source, Tags: make([]Tag, 0, len(r.Tags)),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, t := range r.Tags {
		out.Tags = append(out.Tags, Tag(t))
	}
	return out
}

func (s *server) resourceRoutes(api, stream func(string, handler)) {
	const base = "/console/api/projects/{project}/resources"
	api("GET "+base, s.listResources)
	stream("PUT "+base+"/{name}", s.putResource)
	api("GET "+base+"/{name}", s.getResource)
	api("GET "+base+"/{name}/content", s.downloadResource)
	api("DELETE "+base+"/{name}", s.deleteResource)
}

// kindParam reads the kind query parameter in any letter case; "" when absent and optional.
func kindParam(r *http.Request, required bool) (sluice.ResourceKind, error) {
	v := r.URL.Query().Get("kind")
	if v == "" && !required {
		return "", nil
	}
	k, ok := sluice.ParseResourceKind(v)
	if !ok {
		return "", sluice.Errorf(sluice.EINVALID, "The kind %q is invalid: use jar, pyFile, file or modelFile.", v)
	}
	return k, nil
}

// tagParams reads tag=key=value query parameters (the key is what comes before the first "=").
func tagParams(r *http.Request) ([]sluice.Tag, error) {
	var tags []sluice.Tag
	for _, v := range r.URL.Query()["tag"] {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, sluice.Errorf(sluice.EINVALID, "The tag filter %q is invalid: write tag=key=value.", v)
		}
		tags = append(tags, sluice.Tag{Key: k, Value: val})
	}
	return tags, nil
}

// listResources answers ?kind=&group=&tag=key=value&offset=&limit=. The core's listing is shared between
// callers: it is read, never changed.
func (s *server) listResources(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	kind, err := kindParam(r, false)
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return nil, err
	}
	l, err := s.Resources.FindResources(ctx, projectRef(r), sluice.ResourceFilter{Kind: kind, Tags: tags})
	if err != nil {
		return nil, err
	}
	group := r.URL.Query().Get("group")
	out := ResourceListing{Items: []Resource{}, Groups: []ResourceGroup{}, Modules: []Module{}}
	// Only the page's resources are turned into wire form; the others are counted.
	n := 0
	add := func(res *sluice.Resource) {
		if n >= offset && n < offset+limit {
			out.Items = append(out.Items, resourceOut(res))
		}
		if res.Status == sluice.UploadUploading {
			out.Uploading++
		}
		n++
	}
	if group == "" {
		for _, res := range l.Resources {
			add(res)
		}
	}
	for _, g := range l.Groups {
		if group != "" && g.Name != group {
			continue
		}
		out.Groups = append(out.Groups, ResourceGroup{Name: g.Name, Owner: g.Owner, Status: string(g.Status()),
			ResourceCount: len(g.Resources), CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt})
		for _, res := range g.Resources {
			add(res)
		}
	}
	out.TotalCount = n
	for _, m := range l.Modules {
		out.Modules = append(out.Modules, Module{Name: m.Name, Kind: string(m.Type), Description: m.Description, Resources: m.Resources})
	}
	return out, nil
}

// putResource streams the request body into the resource centre: the core writes it to the blob store as
// it arrives and records the resource only once the bytes are complete. A declared Content-Length is
// passed on, so a body cut short stores nothing; X-Sluice-Sha256, when sent, is checked by the core too.
func (s *server) putResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	kind, err := kindParam(r, true)
	if err != nil {
		return nil, err
	}
	size := r.ContentLength // -1 when unknown (chunked)
	in := sluice.Resource{Group: r.URL.Query().Get("group"), Name: r.PathValue("name"), Kind: kind, Size: size,
		SHA256: strings.ToLower(strings.TrimSpace(r.Header.Get("X-Sluice-Sha256")))}
	res, err := s.Resources.PutResource(ctx, projectRef(r), in, r.Body)
	if err != nil {
		return nil, err
	}
	return resourceOut(res), nil
}

func (s *server) getResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	res, err := s.Resources.FindResource(ctx, projectRef(r), r.URL.Query().Get("group"), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return resourceOut(res), nil
}

func (s *server) downloadResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	res, body, err := s.Resources.OpenResource(ctx, projectRef(r), r.URL.Query().Get("group"), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return &download{name: res.Name, size: res.Size, hash: res.SHA256, body: body}, nil
}

func (s *server) deleteResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	group, name := r.URL.Query().Get("group"), r.PathValue("name")
	if err := s.Resources.DeleteResource(ctx, projectRef(r), group, name); err != nil {
		return nil, err
	}
	return ResourceDeleted{Name: name, Group: group, Deleted: true}, nil
}
