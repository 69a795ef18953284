package native

import (
	"context"
	"net/http"
	"strconv"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
)

// maxBody bounds a native request body.
const maxBody = 1 << 20

// Codes maps sluice errors to the native API's codes and statuses (the console's API answers with them too).
var Codes = alibaba.Codes{
	sluice.EINVALID:         {Status: http.StatusBadRequest, Code: "InvalidParameter"},
	sluice.ENOTFOUND:        {Status: http.StatusNotFound, Code: "NotFound"},
	sluice.ECONFLICT:        {Status: http.StatusConflict, Code: "Conflict"},
	sluice.EFORBIDDEN:       {Status: http.StatusForbidden, Code: "Forbidden"},
	sluice.EUNAUTHENTICATED: {Status: http.StatusUnauthorized, Code: "Unauthenticated"},
	sluice.ETHROTTLED:       {Status: http.StatusTooManyRequests, Code: "Throttling"},
	sluice.EINTERNAL:        {Status: http.StatusInternalServerError, Code: "InternalError"},
}

// Services are the core services the native API calls.
type Services struct {
	Identity  sluice.IdentityService
	Projects  sluice.ProjectService
	Lineage   sluice.LineageService  // nil: no lineage routes
	Resources sluice.ResourceService // nil: no resource routes
	Catalog   sluice.CatalogService  // nil: no catalogue routes
	Sessions  sluice.SessionService  // nil: no password route
}

// handler serves one operation: it decodes from the request (whose body has been read into body) and
// returns the data to send.
type handler func(ctx context.Context, r *http.Request, body []byte) (any, error)

// New returns the handler of /sluice/v1/.
func New(svc Services, authn *alibaba.Authenticator) http.Handler {
	s := &server{Services: svc}
	mux := http.NewServeMux()
	s.register(mux, authn)
	return mux
}

// register registers every route the services allow on mux (New's ServeMux, or the recorder of Routes).
func (s *server) register(mux muxer, authn *alibaba.Authenticator) {
	svc := s.Services
	route := func(pattern, name string, h handler) {
		mux.Handle(pattern, s.wrap(authn, name, h))
	}
	route("GET /sluice/v1/whoami", "Whoami", s.whoami)
	route("GET /sluice/v1/audit", "ListAudit", s.listAudit)
	route("POST /sluice/v1/users", "CreateUser", s.createUser)
	route("GET /sluice/v1/users", "ListUsers", s.listUsers)
	route("GET /sluice/v1/users/{user}", "GetUser", s.getUser)
	route("POST /sluice/v1/users/{user}/keys", "CreateAccessKey", s.createKey)
	if svc.Sessions != nil {
		route("PUT /sluice/v1/users/{user}/password", "SetPassword", s.setPassword)
	}
	route("GET /sluice/v1/keys", "ListAccessKeys", s.listKeys)
	route("POST /sluice/v1/keys/{key}/enable", "EnableAccessKey", s.setKeyEnabled(true))
	route("POST /sluice/v1/keys/{key}/disable", "DisableAccessKey", s.setKeyEnabled(false))
	route("DELETE /sluice/v1/keys/{key}", "DeleteAccessKey", s.deleteKey)
	route("POST /sluice/v1/projects", "CreateProject", s.createProject)
	route("GET /sluice/v1/projects", "ListProjects", s.listProjects)
	route("GET /sluice/v1/projects/{project}", "GetProject", s.getProject)
	route("DELETE /sluice/v1/projects/{project}", "DeleteProject", s.deleteProject)
	route("GET /sluice/v1/projects/{project}/members", "ListMembers", s.listMembers)
	route("PUT /sluice/v1/projects/{project}/members/{user}", "PutMember", s.putMember)
	route("DELETE /sluice/v1/projects/{project}/members/{user}", "DeleteMember", s.deleteMember)
	if svc.Lineage != nil {
		route("GET /sluice/v1/lineage/graph", "GetLineageGraph", s.lineageGraph)
		route("GET /sluice/v1/lineage/columns/graph", "GetColumnLineageGraph", s.columnGraph)
		route("GET /sluice/v1/projects/{project}/files/{file}/versions/{version}/lineage", "GetFileVersionLineage", s.versionLineage)
		route("POST /sluice/v1/projects/{project}/files/{file}/lineage/diff", "DiffFileLineage", s.diffLineage)
		if ex, ok := svc.Lineage.(lineageExporter); ok {
			route("GET /sluice/v1/projects/{project}/lineage/openlineage", "ExportOpenLineage", s.exportOpenLineage(ex))
		}
	}
	if svc.Resources != nil {
		route("GET /sluice/v1/projects/{project}/resources", "ListResources", s.listResources)
		route("GET /sluice/v1/projects/{project}/resources/{name}", "GetResource", s.getResource)
		route("GET /sluice/v1/projects/{project}/resources/{name}/content", "DownloadResource", s.downloadResource)
		route("DELETE /sluice/v1/projects/{project}/resources/{name}", "DeleteResource", s.deleteResource)
		mux.Handle("PUT /sluice/v1/projects/{project}/resources/{name}", s.wrapStream(authn, "PutResource", s.putResource))
	}
	if svc.Catalog != nil {
		mux.Handle("POST /sluice/v1/projects/{project}/sql", s.wrapStream(authn, "RunSQL", s.runSQL)) // reads its own, larger body
	}
	mux.Handle("/sluice/v1/", s.wrap(authn, "", func(context.Context, *http.Request, []byte) (any, error) {
		return nil, &alibaba.Problem{Status: http.StatusNotFound, Code: "InvalidApi.NotFound", Message: "No such operation."}
	}))
}

type server struct{ Services }

// wrap authenticates, runs h and writes its answer.
func (s *server) wrap(authn *alibaba.Authenticator, name string, h handler) http.Handler {
	return s.serve(authn, name, false, h)
}

// wrapStream serves an operation whose request body is streamed to h (from r.Body; its body argument is
// nil) rather than read first: the signature covers the body's declared SHA-256, which h must have
// checked before it acts on the body.
func (s *server) wrapStream(authn *alibaba.Authenticator, name string, h handler) http.Handler {
	return s.serve(authn, name, true, h)
}

// serve authenticates (before the body is read when streamed), runs h and writes its answer: JSON in the
// native envelope, or the bytes of a *download.
func (s *server) serve(authn *alibaba.Authenticator, name string, streamed bool, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = api.StampRequestID(w, r, alibaba.RequestIDHeader)
		ctx := r.Context()
		api.InfoFromContext(ctx).API = "native:" + name
		var data any
		err := func() error {
			var body []byte
			var err error
			if streamed {
				ctx, _, err = authn.Stream.Authenticate(r, nil)
			} else if body, err = api.ReadBody(r, maxBody); err == nil {
				ctx, _, err = authn.ROA.Authenticate(r, body)
			}
			if err != nil {
				return err
			}
			data, err = h(ctx, r, body)
			return err
		}()
		if err != nil {
			p := alibaba.ProblemFor(ctx, err, Codes)
			api.InfoFromContext(ctx).Code = p.Code
			alibaba.RateLimitHeader(w, ctx)
			write(w, p.Status, struct {
				RequestID string `json:"requestId"`
				Code      string `json:"code"`
				Message   string `json:"message"`
			}{sluice.RequestIDFromContext(ctx), p.Code, p.Message})
			return
		}
		if d, ok := data.(*download); ok {
			d.write(w)
			return
		}
		write(w, http.StatusOK, struct {
			RequestID string `json:"requestId"`
			Data      any    `json:"data"`
		}{sluice.RequestIDFromContext(ctx), data})
	})
}

func write(w http.ResponseWriter, status int, v any) {
	b, err := api.MarshalJSON(v)
	if err != nil { // only wire structs of our own reach here
		status, b = http.StatusInternalServerError, []byte(`{"code":"InternalError","message":"An internal error occurred."}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// decode reads a JSON body into v, refusing malformed JSON and unknown fields.
var decode = api.DecodeStrict

// ref reads the {project} path value: a numeric id, a 32-hex uuid, or a name.
func ref(r *http.Request) sluice.ProjectRef {
	v := r.PathValue("project")
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return sluice.ProjectByID(id)
	}
	if isUUID(v) {
		return sluice.ProjectByUUID(v)
	}
	return sluice.ProjectByName(v)
}

func isUUID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *server) whoami(ctx context.Context, _ *http.Request, _ []byte) (any, error) {
	c := sluice.CallerFromContext(ctx)
	return Whoami{UserID: c.User.ID, User: c.User.Name, Role: string(c.User.Role), AccessKeyID: c.AccessKeyID}, nil
}

func (s *server) createUser(ctx context.Context, _ *http.Request, body []byte) (any, error) {
	var in createUser
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	u, err := s.Identity.CreateUser(ctx, in.Name, sluice.UserRole(in.Role))
	if err != nil {
		return nil, err
	}
	return userOut(u), nil
}

func (s *server) listUsers(ctx context.Context, _ *http.Request, _ []byte) (any, error) {
	users, err := s.Identity.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]User, 0, len(users))
	for _, u := range users {
		out = append(out, userOut(u))
	}
	return Page[User]{Items: out, TotalCount: len(out)}, nil
}

// getUser looks up one user by name or id, for any caller; it answers the id and name only.
func (s *server) getUser(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	u, err := s.Identity.FindUser(ctx, r.PathValue("user"))
	if err != nil {
		return nil, err
	}
	return User{ID: u.ID, Name: u.Name}, nil
}

func (s *server) createKey(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	k, err := s.Identity.CreateAccessKey(ctx, r.PathValue("user"))
	if err != nil {
		return nil, err
	}
	return keyOut(k), nil
}

func (s *server) listKeys(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	keys, err := s.Identity.FindAccessKeys(ctx, r.URL.Query().Get("user"))
	if err != nil {
		return nil, err
	}
	out := make([]Key, 0, len(keys))
	for _, k := range keys {
		out = append(out, keyOut(k))
	}
	return Page[Key]{Items: out, TotalCount: len(out)}, nil
}

func (s *server) setKeyEnabled(enabled bool) handler {
	return func(ctx context.Context, r *http.Request, _ []byte) (any, error) {
		return nil, s.Identity.SetAccessKeyEnabled(ctx, r.PathValue("key"), enabled)
	}
}

// setPassword sets a user's console password. The answer carries no data: the password is never sent back.
func (s *server) setPassword(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in setPassword
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	return nil, s.Sessions.SetPassword(ctx, r.PathValue("user"), in.Password)
}

func (s *server) deleteKey(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	return nil, s.Identity.DeleteAccessKey(ctx, r.PathValue("key"))
}

func (s *server) createProject(ctx context.Context, _ *http.Request, body []byte) (any, error) {
	var in createProject
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	p, err := s.Projects.CreateProject(ctx, sluice.ProjectCreate{Name: in.Name, DisplayName: in.DisplayName, Comment: in.Comment})
	if err != nil {
		return nil, err
	}
	return projectOut(p), nil
}

func (s *server) listProjects(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	q := r.URL.Query()
	f := sluice.ProjectFilter{Prefix: q.Get("prefix"), After: q.Get("marker"), Limit: 100}
	if v := q.Get("maxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, sluice.Errorf(sluice.EINVALID, "maxItems must be a number from 1 to 1000.")
		}
		f.Limit = n
	}
	projects, total, err := s.Projects.FindProjects(ctx, f)
	if err != nil {
		return nil, err
	}
	page := Page[Project]{Items: make([]Project, 0, len(projects)), TotalCount: total}
	for _, p := range projects {
		page.Items = append(page.Items, projectOut(p))
	}
	if len(projects) == f.Limit {
		page.NextMarker = projects[len(projects)-1].Name
	}
	return page, nil
}

func (s *server) getProject(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	p, err := s.Projects.FindProject(ctx, ref(r))
	if err != nil {
		return nil, err
	}
	return projectOut(p), nil
}

func (s *server) deleteProject(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	return nil, s.Projects.DeleteProject(ctx, ref(r))
}

func (s *server) listMembers(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	members, err := s.Projects.FindMembers(ctx, ref(r))
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(members))
	for _, m := range members {
		out = append(out, memberOut(r.PathValue("project"), m))
	}
	return Page[Member]{Items: out, TotalCount: len(out)}, nil
}

func (s *server) putMember(ctx context.Context, r *http.Request, body []byte) (any, error) {
	var in putMember
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	m, err := s.Projects.PutMember(ctx, ref(r), r.PathValue("user"), sluice.Role(in.Role))
	if err != nil {
		return nil, err
	}
	return memberOut(r.PathValue("project"), m), nil
}

func (s *server) deleteMember(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	return nil, s.Projects.DeleteMember(ctx, ref(r), r.PathValue("user"))
}
