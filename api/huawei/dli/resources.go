package dli

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
)

// Wire structs of the package APIs, in the SDK's spellings (services/dli/v1/model, dli-resources.md §3).

// packageResource is model.PackageResource, and the body of ShowJobResource.
type packageResource struct {
	CreateTime     *int64 `json:"create_time"`
	UpdateTime     *int64 `json:"update_time"`
	ResourceType   string `json:"resource_type"`
	ResourceName   string `json:"resource_name"`
	Status         string `json:"status"`
	UnderlyingName string `json:"underlying_name"`
	Owner          string `json:"owner"`
}

// packageGroup is model.PackageResourceGroup.
type packageGroup struct {
	GroupName  string            `json:"group_name"`
	Status     string            `json:"status"`
	Resources  []string          `json:"resources"`
	Details    []packageResource `json:"details"`
	CreateTime *int64            `json:"create_time"`
	UpdateTime *int64            `json:"update_time"`
	Owner      string            `json:"owner"`
	IsAsync    bool              `json:"is_async"`
}

// packageModule is model.PackageResourceMoudle (the SDK's spelling).
type packageModule struct {
	ModuleName  string   `json:"module_name"`
	ModuleType  string   `json:"module_type"`
	Status      string   `json:"status"`
	Description string   `json:"description"`
	Resources   []string `json:"resources"`
	CreateTime  *int64   `json:"create_time"`
	UpdateTime  *int64   `json:"update_time"`
}

// listResponse is model.ListJobResourcesResponse; total is always sent (§6 #5).
type listResponse struct {
	Total     int               `json:"total"`
	Resources []packageResource `json:"resources"`
	Modules   []packageModule   `json:"modules"`
	Groups    []packageGroup    `json:"groups"`
}

// uploadDetail is model.UploadJobResourcesDetail: is_async, and no owner.
type uploadDetail struct {
	CreateTime     int64  `json:"create_time"`
	UpdateTime     *int64 `json:"update_time"`
	ResourceType   string `json:"resource_type"`
	IsAsync        bool   `json:"is_async"`
	ResourceName   string `json:"resource_name"`
	Status         string `json:"status"`
	UnderlyingName string `json:"underlying_name"`
}

// uploadResponse is model.UploadJobResourcesResponse; the per-kind uploads add the module fields.
type uploadResponse struct {
	GroupName  string         `json:"group_name"`
	Status     string         `json:"status"`
	Resources  []string       `json:"resources"`
	Details    []uploadDetail `json:"details"`
	CreateTime *int64         `json:"create_time"`
	UpdateTime *int64         `json:"update_time"`
	IsAsync    bool           `json:"is_async"`
	Owner      string         `json:"owner"`

	Description *string `json:"description,omitempty"`
	ModuleName  *string `json:"module_name,omitempty"`
	ModuleType  *string `json:"module_type,omitempty"`
}

type tagJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// uploadRequest is model.UploadJobResourcesRequestBody; the per-kind body (UploadResourcesRequestBody)
// is its paths and group.
type uploadRequest struct {
	Paths   []string    `json:"paths"`
	Kind    *string     `json:"kind"`
	Group   string      `json:"group"`
	IsAsync lenientBool `json:"is_async"`
	Tags    *[]tagJSON  `json:"tags"`
}

type ownerRequest struct {
	NewOwner     string  `json:"new_owner"`
	GroupName    string  `json:"group_name"`
	ResourceName *string `json:"resource_name"`
}

type ownerResponse struct {
	IsSuccess bool   `json:"is_success"`
	Message   string `json:"message"`
}

func toPackage(r *sluice.Resource) packageResource {
	return packageResource{CreateTime: millis(r.CreatedAt), UpdateTime: millis(r.UpdatedAt), ResourceType: string(r.Kind),
		ResourceName: r.Name, Status: string(r.Status), UnderlyingName: r.UnderlyingName, Owner: r.Owner}
}

func tagsFromWire(in []tagJSON) []sluice.Tag {
	tags := make([]sluice.Tag, len(in))
	for i, t := range in {
		tags[i] = sluice.Tag{Key: t.Key, Value: t.Value}
	}
	return tags
}

// listResources is ListJobResources: GET /v2.0/{project_id}/resources?kind=&tags=.
func (s *Server) listResources(ctx context.Context, q *request) (int, any, error) {
	var f sluice.ResourceFilter
	if v := q.query.Get("kind"); v != "" {
		kind, ok := sluice.ParseResourceKind(v)
		if !ok {
			return 0, nil, errKind(v)
		}
		f.Kind = kind
	}
	tags, err := parseTagFilter(q.query.Get("tags"))
	if err != nil {
		return 0, nil, err
	}
	f.Tags = tags
	l, err := s.svc.FindResources(ctx, q.project, f)
	if err != nil {
		return 0, nil, err
	}
	// A listing is the same at the same resource version: its encoding is kept and sent again while the
	// version stays (100,000 packages are 25 MB of JSON, which takes far longer to build than to send).
	key := listKey{project: l.ProjectID, version: l.Version, kind: f.Kind, tags: fmt.Sprint(f.Tags)}
	if b := s.lists.get(key); b != nil && l.Version > 0 {
		return http.StatusOK, b, nil
	}
	out := listResponse{Resources: []packageResource{}, Modules: []packageModule{}, Groups: []packageGroup{}}
	for _, r := range l.Resources {
		out.Resources = append(out.Resources, toPackage(r))
	}
	for _, g := range l.Groups {
		// A filter may leave a group without packages; it is not shown (docs/dli.md, open question 3).
		if len(g.Resources) == 0 {
			continue
		}
		pg := packageGroup{GroupName: g.Name, Status: string(g.Status()), Resources: []string{}, Details: []packageResource{},
			CreateTime: millis(g.CreatedAt), UpdateTime: millis(g.UpdatedAt), Owner: g.Owner, IsAsync: g.Async}
		for _, r := range g.Resources {
			pg.Resources = append(pg.Resources, r.Name)
			pg.Details = append(pg.Details, toPackage(r))
		}
		out.Groups = append(out.Groups, pg)
	}
	for _, m := range l.Modules {
		resources := m.Resources
		if resources == nil {
			resources = []string{}
		}
		out.Modules = append(out.Modules, packageModule{ModuleName: m.Name, ModuleType: string(m.Type),
			Status: string(sluice.UploadReady), Description: m.Description, Resources: resources,
			CreateTime: millis(m.CreatedAt), UpdateTime: millis(m.CreatedAt)})
	}
	out.Total = l.Total()
	b, err := api.MarshalJSON(out)
	if err != nil {
		return 0, nil, err
	}
	if l.Version > 0 {
		s.lists.put(key, b)
	}
	return http.StatusOK, encoded(b), nil
}

// encoded is an answer already encoded as JSON.
type encoded []byte

// listKey names one ListJobResources answer: a project at a resource version, and the filter.
type listKey struct {
	project, version int64
	kind             sluice.ResourceKind
	tags             string
}

// listCache keeps encoded listings up to a total size; when full it starts over, which costs one encoding
// per project listed since.
type listCache struct {
	mu    sync.Mutex
	m     map[listKey]encoded
	bytes int
}

const listCacheBytes = 256 << 20

func (c *listCache) get(k listKey) encoded {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

func (c *listCache) put(k listKey, b encoded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+len(b) > listCacheBytes {
		c.m, c.bytes = map[listKey]encoded{}, 0
	}
	for old := range c.m { // an older version of the same listing is dead weight
		if old.project == k.project && old.version < k.version {
			c.bytes -= len(c.m[old])
			delete(c.m, old)
		}
	}
	c.m[k] = b
	c.bytes += len(b)
}

// parseTagFilter reads the tags query of ListJobResources: key=value pairs separated by commas, all of
// which a package must carry (docs/dli.md, open question 1).
func parseTagFilter(v string) ([]sluice.Tag, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var tags []sluice.Tag
	for pair := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(pair, "=")
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if !ok || k == "" {
			return nil, sluice.Errorf(sluice.EINVALID,
				"The parameter tags must be key=value pairs separated by commas, e.g. env=dev,team=etl; %q is not one.", pair)
		}
		tags = append(tags, sluice.Tag{Key: k, Value: val})
	}
	return tags, nil
}

func errKind(v string) error {
	return sluice.Errorf(sluice.EINVALID, "The parameter kind must be jar, pyFile, file or modelFile, not %q.", v)
}

// uploadResources is UploadJobResources: POST /v2.0/{project_id}/resources.
func (s *Server) uploadResources(ctx context.Context, q *request) (int, any, error) {
	var in uploadRequest
	if err := q.decodeJSON(&in); err != nil {
		return 0, nil, err
	}
	if in.Kind == nil || *in.Kind == "" {
		return 0, nil, sluice.Errorf(sluice.EINVALID, "The parameter kind is mandatory: jar, pyFile, file or modelFile.")
	}
	kind, ok := sluice.ParseResourceKind(*in.Kind)
	if !ok {
		return 0, nil, errKind(*in.Kind)
	}
	var tags []sluice.Tag
	if in.Tags != nil {
		tags = tagsFromWire(*in.Tags)
	}
	return s.upload(ctx, q, in, kind, bool(in.IsAsync), tags, nil)
}

// uploadKind is UploadJarJobResources, UploadPythonFileJobResources and UploadFileJobResources: the
// endpoint names the kind, and the body has only paths and group (a kind, is_async or tags sent anyway
// is ignored, as the SDK cannot send them). The answer adds the module fields, the module being the group.
func (s *Server) uploadKind(kind sluice.ResourceKind) func(context.Context, *request) (int, any, error) {
	return func(ctx context.Context, q *request) (int, any, error) {
		var in uploadRequest
		if err := q.decodeJSON(&in); err != nil {
			return 0, nil, err
		}
		return s.upload(ctx, q, in, kind, false, nil, func(out *uploadResponse) {
			desc, name, typ := "", out.GroupName, string(kind)
			out.Description, out.ModuleName, out.ModuleType = &desc, &name, &typ
		})
	}
}

// upload checks what DLI requires of the request, asks the service to copy the objects in (the service
// applies the name rules of packages, groups and tags), and answers 201 with the group and this request's
// packages, in the order of paths.
func (s *Server) upload(ctx context.Context, q *request, in uploadRequest, kind sluice.ResourceKind, async bool,
	tags []sluice.Tag, module func(*uploadResponse)) (int, any, error) {
	if len(in.Paths) == 0 {
		return 0, nil, sluice.Errorf(sluice.EINVALID, "The parameter paths is mandatory: the URLs of the objects to upload.")
	}
	// DLI's current reference makes group mandatory; ungrouped resources come from the other faces.
	if in.Group == "" {
		return 0, nil, sluice.Errorf(sluice.EINVALID, "The parameter group is mandatory: the package group to upload into.")
	}
	g, err := s.svc.UploadResources(ctx, q.project, sluice.ResourceUpload{Sources: in.Paths, Kind: kind, Group: in.Group,
		Async: async, Tags: tags, Owner: q.header.Get("User-Id")})
	if err != nil {
		return 0, nil, err
	}
	out := uploadResponse{GroupName: g.Name, Status: string(g.Status()), Resources: []string{}, Details: []uploadDetail{},
		CreateTime: millis(g.CreatedAt), UpdateTime: millis(g.UpdatedAt), IsAsync: async, Owner: g.Owner}
	for _, r := range g.Resources {
		out.Resources = append(out.Resources, r.Name)
		out.Details = append(out.Details, uploadDetail{CreateTime: *millis(r.CreatedAt), UpdateTime: millis(r.UpdatedAt),
			ResourceType: string(r.Kind), IsAsync: r.Async, ResourceName: r.Name, Status: string(r.Status),
			UnderlyingName: r.UnderlyingName})
	}
	if module != nil {
		module(&out)
	}
	return http.StatusCreated, out, nil
}

// groupQuery reads the optional group query parameter: "" is an ungrouped package, and a grouped one is
// found only with its group (docs/dli.md, open question 8).
func (q *request) groupQuery() string { return q.query.Get("group") }

// showResource is ShowJobResource: GET /v2.0/{project_id}/resources/{resource_name}?group=.
func (s *Server) showResource(ctx context.Context, q *request) (int, any, error) {
	r, err := s.svc.FindResource(ctx, q.project, q.groupQuery(), q.params["resource_name"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, toPackage(r), nil
}

// deleteResource is DeleteJobResource: 200 with an empty body.
func (s *Server) deleteResource(ctx context.Context, q *request) (int, any, error) {
	if err := s.svc.DeleteResource(ctx, q.project, q.groupQuery(), q.params["resource_name"]); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, nil, nil
}

// changeOwner is UpdateJobResourceOwner: group_name alone gives a group, resource_name alone an
// ungrouped package, both one package of the group. "" counts as absent (the SDK always sends
// group_name).
func (s *Server) changeOwner(ctx context.Context, q *request) (int, any, error) {
	var in ownerRequest
	if err := q.decodeJSON(&in); err != nil {
		return 0, nil, err
	}
	if in.NewOwner == "" {
		return 0, nil, sluice.Errorf(sluice.EINVALID, "The parameter new_owner is mandatory.")
	}
	name := ""
	if in.ResourceName != nil {
		name = *in.ResourceName
	}
	if in.GroupName == "" && name == "" {
		return 0, nil, sluice.Errorf(sluice.EINVALID, "Give group_name, resource_name or both: what changes owner.")
	}
	if err := s.svc.ChangeResourceOwner(ctx, q.project, in.GroupName, name, in.NewOwner); err != nil {
		return 0, nil, err
	}
	// is_success is a JSON boolean: the doc's "true" string breaks the SDK's decoding (§4.6).
	return http.StatusOK, ownerResponse{IsSuccess: true, Message: ""}, nil
}
