package native

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// Resource is a resource of a project's resource centre on the wire.
type Resource struct {
	Group          string    `json:"group,omitempty"`
	Name           string    `json:"name"`
	Kind           string    `json:"kind"`
	Status         string    `json:"status"`
	Reason         string    `json:"reason,omitempty"`
	UnderlyingName string    `json:"underlyingName"`
	Owner          string    `json:"owner"`
	Source         string    `json:"source,omitempty"`
	Size           int64     `json:"size"`
	SHA256         string    `json:"sha256,omitempty"`
	Tags           []Tag     `json:"tags"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// Tag is a resource tag on the wire.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ResourceGroup is a group with its resources.
type ResourceGroup struct {
	Name      string     `json:"name"`
	Owner     string     `json:"owner"`
	Status    string     `json:"status"`
	Resources []Resource `json:"resources"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// Module is a built-in group.
type Module struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Description string   `json:"description,omitempty"`
	Resources   []string `json:"resources"`
}

// ResourceListing is a project's resource centre.
type ResourceListing struct {
	Resources []Resource      `json:"resources"`
	Groups    []ResourceGroup `json:"groups"`
	Modules   []Module        `json:"modules"`
}

func wireResource(r *sluice.Resource) Resource {
	w := Resource{Group: r.Group, Name: r.Name, Kind: string(r.Kind), Status: string(r.Status), Reason: r.Reason,
		UnderlyingName: r.UnderlyingName, Owner: r.Owner, Source: r.Source, Size: r.Size, SHA256: r.SHA256, Tags: []Tag{},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, t := range r.Tags {
		w.Tags = append(w.Tags, Tag(t))
	}
	return w
}

// resourceKind reads the kind query parameter ("" when absent).
func resourceKind(r *http.Request) (sluice.ResourceKind, error) {
	v := r.URL.Query().Get("kind")
	if v == "" {
		return "", nil
	}
	k, ok := sluice.ParseResourceKind(v)
	if !ok {
		return "", sluice.Errorf(sluice.EINVALID, "The kind %q is invalid: use jar, pyFile, file or modelFile.", v)
	}
	return k, nil
}

func (s *server) listResources(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	kind, err := resourceKind(r)
	if err != nil {
		return nil, err
	}
	l, err := s.Resources.FindResources(ctx, ref(r), sluice.ResourceFilter{Kind: kind})
	if err != nil {
		return nil, err
	}
	out := ResourceListing{Resources: []Resource{}, Groups: []ResourceGroup{}, Modules: []Module{}}
	group := r.URL.Query().Get("group")
	for _, res := range l.Resources {
		if group == "" {
			out.Resources = append(out.Resources, wireResource(res))
		}
	}
	for _, g := range l.Groups {
		if group != "" && g.Name != group {
			continue
		}
		wg := ResourceGroup{Name: g.Name, Owner: g.Owner, Status: string(g.Status()), Resources: []Resource{},
			CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
		for _, res := range g.Resources {
			wg.Resources = append(wg.Resources, wireResource(res))
		}
		out.Groups = append(out.Groups, wg)
	}
	for _, m := range l.Modules {
		out.Modules = append(out.Modules, Module{Name: m.Name, Kind: string(m.Type), Description: m.Description, Resources: m.Resources})
	}
	return out, nil
}

func (s *server) getResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	res, err := s.Resources.FindResource(ctx, ref(r), r.URL.Query().Get("group"), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return wireResource(res), nil
}

func (s *server) deleteResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	return nil, s.Resources.DeleteResource(ctx, ref(r), r.URL.Query().Get("group"), r.PathValue("name"))
}

// putResource stores the request body as a resource. The body is streamed to the blob store, never held
// whole; its SHA-256, which the signature covers, is checked once it is in, and a mismatch keeps nothing.
func (s *server) putResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	q := r.URL.Query()
	kind, ok := sluice.ParseResourceKind(q.Get("kind"))
	if !ok {
		return nil, sluice.Errorf(sluice.EINVALID, "The kind %q is invalid: use jar, pyFile, file or modelFile.", q.Get("kind"))
	}
	// The signature covers the declared SHA-256, not yet the bytes: the core records them only if they
	// match it.
	in := sluice.Resource{Group: q.Get("group"), Name: r.PathValue("name"), Kind: kind, Size: r.ContentLength,
		SHA256: strings.ToLower(r.Header.Get("x-acs-content-sha256"))}
	res, err := s.Resources.PutResource(ctx, ref(r), in, r.Body)
	if err != nil {
		return nil, err
	}
	return wireResource(res), nil
}

// download is an answer made of a resource's bytes rather than JSON.
type download struct {
	res  *sluice.Resource
	body io.ReadCloser
}

func (d *download) write(w http.ResponseWriter) {
	defer d.body.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(d.res.Size, 10))
	w.Header().Set("x-sluice-sha256", d.res.SHA256)
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, d.body) // a failure mid-stream shows to the client as a short body
}

func (s *server) downloadResource(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	res, body, err := s.Resources.OpenResource(ctx, ref(r), r.URL.Query().Get("group"), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return &download{res: res, body: body}, nil
}

func resourcePath(project, name string) string {
	return "/sluice/v1/projects/" + url.PathEscape(project) + "/resources/" + url.PathEscape(name)
}

func groupQuery(group string) url.Values {
	q := url.Values{}
	if group != "" {
		q.Set("group", group)
	}
	return q
}

// ListResources lists a project's resource centre, optionally of one kind and one group.
func (c *Client) ListResources(ctx context.Context, project, kind, group string) (ResourceListing, error) {
	q := groupQuery(group)
	if kind != "" {
		q.Set("kind", kind)
	}
	var l ResourceListing
	return l, c.do(ctx, "GET", "ListResources", "/sluice/v1/projects/"+url.PathEscape(project)+"/resources", q, nil, &l)
}

// GetResource returns one resource.
func (c *Client) GetResource(ctx context.Context, project, group, name string) (Resource, error) {
	var r Resource
	return r, c.do(ctx, "GET", "GetResource", resourcePath(project, name), groupQuery(group), nil, &r)
}

// DeleteResource removes a resource and its bytes.
func (c *Client) DeleteResource(ctx context.Context, project, group, name string) error {
	return c.do(ctx, "DELETE", "DeleteResource", resourcePath(project, name), groupQuery(group), nil, nil)
}

// UploadResource streams size bytes from body as the resource name. sha256 is the hex SHA-256 of those
// bytes, which the request is signed with; the server refuses a body that does not match it.
func (c *Client) UploadResource(ctx context.Context, project, group, kind, name string, body io.Reader, size int64, sha256 string) (Resource, error) {
	q := groupQuery(group)
	q.Set("kind", kind)
	req, err := http.NewRequestWithContext(ctx, "PUT", strings.TrimSuffix(c.Endpoint, "/")+resourcePath(project, name)+"?"+q.Encode(), body)
	if err != nil {
		return Resource{}, err
	}
	req.ContentLength = size
	req.Header.Set("content-type", "application/octet-stream")
	req.Header.Set("accept", "application/json")
	req.Header.Set("x-acs-action", "PutResource")
	req.Header.Set("x-acs-version", Version)
	auth.SignACS3Hash(req, sha256, c.AccessKeyID, c.AccessKeySecret, time.Now(), "")
	var r Resource
	return r, c.send(c.streamClient(), req, &r)
}

// DownloadResource writes a READY resource's bytes to w and returns the resource as the server described
// it (Size and SHA256 from its headers), checking that the bytes arrived whole.
func (c *Client) DownloadResource(ctx context.Context, project, group, name string, w io.Writer) (int64, string, error) {
	u := strings.TrimSuffix(c.Endpoint, "/") + resourcePath(project, name) + "/content"
	if q := groupQuery(group); len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("x-acs-action", "DownloadResource")
	req.Header.Set("x-acs-version", Version)
	auth.SignACS3(req, nil, c.AccessKeyID, c.AccessKeySecret, time.Now(), "")
	resp, err := c.streamClient().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return 0, "", alibaba.ErrorOf(resp.StatusCode, data)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, "", err
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, "", fmt.Errorf("download: %d of %d bytes arrived", n, resp.ContentLength)
	}
	return n, resp.Header.Get("x-sluice-sha256"), nil
}
