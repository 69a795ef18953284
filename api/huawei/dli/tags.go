package dli

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/sluice-dev/sluice"
)

// The tag APIs (dli-resources.md §4.7) for resource_type dli_package_resource. A package's resource_id
// is "group/name" for a grouped package (Terraform's id; the SDK sends the "/" as a path separator) and
// "name" for an ungrouped one (docs/dli.md, open question 6). Modules are not in any listing of
// packages, so they can be neither tagged nor found here.

// maxFilterLimit is the most resources one ListResourcesByTags page returns, and its default.
const maxFilterLimit = 1000

type tagsRequest struct {
	Tags []tagJSON `json:"tags"`
}

type tagWithValues struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

type showTagsResponse struct {
	Tags  []tagJSON `json:"tags"`
	Count int       `json:"count"`
}

type listTagsResponse struct {
	Tags  []tagWithValues `json:"tags"`
	Count int             `json:"count"`
}

type filterRequest struct {
	WithoutAnyTag bool            `json:"without_any_tag"`
	Tags          []tagWithValues `json:"tags"`
	Matches       []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"matches"`
}

// taggedResource is model.Resource of the tag-filter answer.
type taggedResource struct {
	ResourceID     string         `json:"resource_id"`
	ResourceName   string         `json:"resource_name"`
	ResourceDetail resourceDetail `json:"resource_detail"`
	Tags           []tagJSON      `json:"tags"`
}

// resourceDetail is the package as ShowJobResource shows it, with its group.
type resourceDetail struct {
	packageResource
	GroupName string `json:"group_name"`
}

type filterResponse struct {
	TotalCount int               `json:"total_count"`
	Resources  *[]taggedResource `json:"resources,omitempty"`
}

// resourceID splits {resource_id} into group and name at its last "/" (a package name has none).
func (q *request) resourceID() (group, name string) {
	id := q.params["resource_id"]
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[:i], id[i+1:]
	}
	return "", id
}

func resourceIDOf(r *sluice.Resource) string {
	if r.Group == "" {
		return r.Name
	}
	return r.Group + "/" + r.Name
}

// decodeTags reads the body of BatchCreateResourceTags / BatchDeleteResourceTags: at least one tag (the
// service applies the tag rules).
func (q *request) decodeTags() ([]sluice.Tag, error) {
	var in tagsRequest
	if err := q.decodeJSON(&in); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "The parameter tags is mandatory: the tags to add or remove.")
	}
	return tagsFromWire(in.Tags), nil
}

// changeTags is BatchCreateResourceTags (add) and BatchDeleteResourceTags: 204, no body. Deleting goes by
// key, and a missing tag is no error.
func (s *Server) changeTags(add bool) func(context.Context, *request) (int, any, error) {
	change := s.svc.UntagResource
	if add {
		change = s.svc.TagResource
	}
	return func(ctx context.Context, q *request) (int, any, error) {
		group, name := q.resourceID()
		tags, err := q.decodeTags()
		if err != nil {
			return 0, nil, err
		}
		if err := change(ctx, q.project, group, name, tags); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	}
}

// paging reads limit and offset; limit 0 means no limit unless def says otherwise.
func (q *request) paging(def, max int) (limit, offset int, err error) {
	if limit, err = q.intQuery("limit", def, max); err != nil {
		return 0, 0, err
	}
	offset, err = q.intQuery("offset", 0, 0)
	return limit, offset, err
}

// showTags is ShowResourceTags: one package's tags, sorted by key.
func (s *Server) showTags(ctx context.Context, q *request) (int, any, error) {
	group, name := q.resourceID()
	limit, offset, err := q.paging(0, 0)
	if err != nil {
		return 0, nil, err
	}
	r, err := s.svc.FindResource(ctx, q.project, group, name)
	if err != nil {
		return 0, nil, err
	}
	tags := wireTags(r.Tags)
	return http.StatusOK, showTagsResponse{Tags: page(tags, offset, limit), Count: len(tags)}, nil
}

func wireTags(in []sluice.Tag) []tagJSON {
	out := make([]tagJSON, len(in))
	for i, t := range in {
		out[i] = tagJSON{Key: t.Key, Value: t.Value}
	}
	slices.SortFunc(out, func(a, b tagJSON) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// allResources lists every package of the project, grouped and ungrouped.
func (s *Server) allResources(ctx context.Context, q *request) ([]*sluice.Resource, error) {
	l, err := s.svc.FindResources(ctx, q.project, sluice.ResourceFilter{})
	if err != nil {
		return nil, err
	}
	all := slices.Clone(l.Resources)
	for _, g := range l.Groups {
		all = append(all, g.Resources...)
	}
	return all, nil
}

// listTags is ListResourcesTags: every key used on the project's packages with its values, sorted.
func (s *Server) listTags(ctx context.Context, q *request) (int, any, error) {
	limit, offset, err := q.paging(0, 0)
	if err != nil {
		return 0, nil, err
	}
	all, err := s.allResources(ctx, q)
	if err != nil {
		return 0, nil, err
	}
	values := map[string][]string{}
	for _, r := range all {
		for _, t := range r.Tags {
			if !slices.Contains(values[t.Key], t.Value) {
				values[t.Key] = append(values[t.Key], t.Value)
			}
		}
	}
	out := make([]tagWithValues, 0, len(values))
	for k, vs := range values {
		slices.Sort(vs)
		out = append(out, tagWithValues{Key: k, Values: vs})
	}
	slices.SortFunc(out, func(a, b tagWithValues) int { return strings.Compare(a.Key, b.Key) })
	return http.StatusOK, listTagsResponse{Tags: page(out, offset, limit), Count: len(out)}, nil
}

// filterByTags is ListResourcesByTags and (count) CountResourcesByTags. A package matches when it has
// every key of tags (with one of the values listed, or any value when none are), or no tag at all with
// without_any_tag; a match on resource_name keeps the packages whose name contains the value.
func (s *Server) filterByTags(count bool) func(context.Context, *request) (int, any, error) {
	return func(ctx context.Context, q *request) (int, any, error) {
		var in filterRequest
		if len(strings.TrimSpace(string(q.body))) > 0 {
			if err := q.decodeJSON(&in); err != nil {
				return 0, nil, err
			}
		}
		for _, m := range in.Matches {
			if m.Key != "resource_name" {
				return 0, nil, sluice.Errorf(sluice.EINVALID, "matches takes the key resource_name only, not %q.", m.Key)
			}
		}
		limit, offset, err := q.paging(maxFilterLimit, maxFilterLimit)
		if err != nil {
			return 0, nil, err
		}
		if q.query.Get("limit") == "0" {
			return 0, nil, sluice.Errorf(sluice.EINVALID, "The parameter limit must be from 1 to %d.", maxFilterLimit)
		}
		all, err := s.allResources(ctx, q)
		if err != nil {
			return 0, nil, err
		}
		var hits []*sluice.Resource
		for _, r := range all {
			if matches(r, in) {
				hits = append(hits, r)
			}
		}
		slices.SortFunc(hits, func(a, b *sluice.Resource) int { return strings.Compare(resourceIDOf(a), resourceIDOf(b)) })
		if count {
			return http.StatusOK, filterResponse{TotalCount: len(hits)}, nil
		}
		resources := []taggedResource{}
		for _, r := range page(hits, offset, limit) {
			resources = append(resources, taggedResource{ResourceID: resourceIDOf(r), ResourceName: r.Name,
				ResourceDetail: resourceDetail{packageResource: toPackage(r), GroupName: r.Group}, Tags: wireTags(r.Tags)})
		}
		return http.StatusOK, filterResponse{TotalCount: len(hits), Resources: &resources}, nil
	}
}

func matches(r *sluice.Resource, f filterRequest) bool {
	if f.WithoutAnyTag && len(r.Tags) > 0 {
		return false
	}
	for _, want := range f.Tags {
		i := slices.IndexFunc(r.Tags, func(t sluice.Tag) bool { return t.Key == want.Key })
		if i < 0 || (len(want.Values) > 0 && !slices.Contains(want.Values, r.Tags[i].Value)) {
			return false
		}
	}
	for _, m := range f.Matches {
		if !strings.Contains(r.Name, m.Value) {
			return false
		}
	}
	return true
}
