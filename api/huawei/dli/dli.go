// Package dli serves the Huawei Cloud DLI face: the resource centre's package APIs under
// /v2.0/{project_id}/resources and the tag APIs under /v3/{project_id}/dli_package_resource/, signed with
// SDK-HMAC-SHA256 (api/huawei/auth). Specs: dli-resources.md, huawei-signing.md; choices: docs/dli.md.
//
// Every request goes the same way: find the route by method and path (an unknown one answers the API
// gateway's APIGW.0101 before any authentication, as the gateway does), read the body once with a limit,
// authenticate, decode, call sluice.ResourceService, encode. Who may do what is decided by the service.
package dli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/huawei/auth"
)

// RequestIDHeader carries the request id; the SDK reads it into ServiceResponseError.RequestId.
const RequestIDHeader = "X-Request-Id"

// maxBody bounds a request body: uploads name objects, they never carry bytes.
const maxBody = 1 << 20

// ResourceType is the tag APIs' resource_type of packages, the only one served.
const ResourceType = "dli_package_resource"

// Server is the DLI face.
type Server struct {
	svc    sluice.ResourceService
	authn  *api.Authenticator
	routes []route
	lists  listCache // encoded ListJobResources answers, see listResources
}

// route is one API. pattern segments are literals, "{name}" (one segment) or "{id...}" (one or more
// segments up to the literals after it: the tag APIs' resource_id, "group/name" for a grouped package).
type route struct {
	method  string
	pattern []string
	name    string // for logs and metrics: the SDK's method name
	serve   func(ctx context.Context, q *request) (status int, body any, err error)
}

// New returns the handler of /v2.0/ and /v3/.
func New(svc sluice.ResourceService, authn *api.Authenticator) *Server {
	s := &Server{svc: svc, authn: authn}
	for _, rt := range routeTable {
		s.routes = append(s.routes, route{method: rt.method, pattern: strings.Split(strings.Trim(rt.pattern, "/"), "/"),
			name: rt.name, serve: rt.serve(s)})
	}
	return s
}

// request is what a route gets: path parameters (decoded), the query and the body bytes.
type request struct {
	project sluice.ProjectRef
	params  map[string]string
	query   url.Values
	header  http.Header
	body    []byte
}

// match reports whether segments (each already unescaped) fit the pattern, with the path parameters.
func (rt *route) match(segments []string) (map[string]string, bool) {
	params := map[string]string{}
	var match func(p, s []string) bool
	match = func(p, s []string) bool {
		if len(p) == 0 {
			return len(s) == 0
		}
		seg := p[0]
		switch {
		case strings.HasSuffix(seg, "...}"):
			// The greedy parameter takes as many segments as leave exactly the rest of the pattern.
			n := len(s) - (len(p) - 1)
			if n < 1 || !match(p[1:], s[n:]) {
				return false
			}
			for _, part := range s[:n] {
				if part == "" {
					return false
				}
			}
			params[seg[1:len(seg)-4]] = strings.Join(s[:n], "/")
			return true
		case strings.HasPrefix(seg, "{"):
			if len(s) == 0 || s[0] == "" {
				return false
			}
			params[seg[1:len(seg)-1]] = s[0]
			return match(p[1:], s[1:])
		}
		return len(s) > 0 && s[0] == seg && match(p[1:], s[1:])
	}
	if !match(rt.pattern, segments) {
		return nil, false
	}
	return params, true
}

// find returns the route for r's method and path.
func (s *Server) find(r *http.Request) (*route, map[string]string) {
	segments, ok := api.PathSegments(r)
	if !ok {
		return nil, nil
	}
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.method != r.Method {
			continue
		}
		if params, ok := rt.match(segments); ok {
			return rt, params
		}
	}
	return nil, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = api.StampRequestID(w, r, RequestIDHeader)
	ctx := r.Context()
	rt, params := s.find(r)
	if rt == nil {
		api.InfoFromContext(ctx).API = "dli:unknown"
		writeError(w, r, errNoSuchAPI)
		return
	}
	api.InfoFromContext(ctx).API = "dli:" + rt.name
	status, out, err := s.serve(r, rt, params)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, out)
}

func (s *Server) serve(r *http.Request, rt *route, params map[string]string) (int, any, error) {
	body, err := api.ReadBody(r, maxBody)
	if err != nil {
		if errors.Is(err, api.ErrBodyTooLarge) {
			return 0, nil, err
		}
		return 0, nil, problem(http.StatusBadRequest, CodeParameter, "The request body could not be read.")
	}
	ctx, _, err := s.authn.Authenticate(r, body)
	if err != nil {
		return 0, nil, err
	}
	pid := params["project_id"]
	// The SDK sends the project id of its credentials in X-Project-Id and in the path; a request whose two
	// disagree was not built by the SDK for this project (huawei-signing.md §3 step 8).
	if h := r.Header.Get(auth.HeaderProjectID); h != "" && h != pid {
		return 0, nil, problem(http.StatusBadRequest, CodeParameter,
			fmt.Sprintf("The X-Project-Id header %q does not match the project %q in the path.", h, pid))
	}
	if rtype, ok := params["resource_type"]; ok && rtype != ResourceType {
		return 0, nil, problem(http.StatusBadRequest, CodeUnsupported,
			fmt.Sprintf("Tags are served for resource_type %s only, not %q.", ResourceType, rtype))
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return 0, nil, problem(http.StatusBadRequest, CodeParameter, "The query string is malformed.")
	}
	return rt.serve(ctx, &request{project: projectRef(pid), params: params, query: query, header: r.Header, body: body})
}

// projectRef reads {project_id}: the project's 32-hex uuid (what DLI calls a project id), else its name.
// No project name is 32 characters long, so the two never collide.
func projectRef(v string) sluice.ProjectRef {
	if len(v) == 32 && strings.Trim(v, "0123456789abcdef") == "" {
		return sluice.ProjectByUUID(v)
	}
	return sluice.ProjectByName(v)
}

// DLI error codes (huawei-signing.md §5.1; dli-resources.md §4.5 for 404 on a missing object).
const (
	CodeParameter   = "DLI.0001" // parameter check failed
	CodeNotFound    = "DLI.0002" // object does not exist
	CodeForbidden   = "DLI.0003" // permission denied
	CodeExists      = "DLI.0006" // object exists, or its state forbids the change
	CodeUnsupported = "DLI.0007" // operation not supported
	CodeUnauth      = "DLI.0013" // user authentication
	CodeServer      = "DLI.0999" // server-side error
	CodeNoSuchAPI   = "APIGW.0101"
	CodeThrottled   = "APIGW.0308"
)

// Problem is an error in DLI's terms.
type Problem struct {
	Status  int
	Code    string
	Message string
}

func (p *Problem) Error() string { return p.Code + ": " + p.Message }

func problem(status int, code, msg string) *Problem {
	return &Problem{Status: status, Code: code, Message: msg}
}

var errNoSuchAPI = problem(http.StatusNotFound, CodeNoSuchAPI,
	"The API does not exist or has not been published in the environment")

// codes maps sluice error codes to DLI's: the one table of this face, with the statuses of the DLI
// reference (huawei-signing.md §5.1): DLI.0001, .0003 and .0006 answer 400, and a missing object 404 as the
// package delete and owner pages say (dli-resources.md §4.5). A server fault answers 500 although the
// reference files DLI.0999 under 400: a fault is not the caller's, and 5xx is what retries and alerts key on
// (the SDK treats every status >= 400 alike). Authentication failures answer the gateway's 401 APIGW.0301 (api/huawei/auth), an unknown path
// 404 APIGW.0101, and a body over 1 MiB 413 DLI.0001.
var codes = map[string]Problem{
	sluice.EINVALID:         {Status: http.StatusBadRequest, Code: CodeParameter},
	sluice.ENOTFOUND:        {Status: http.StatusNotFound, Code: CodeNotFound},
	sluice.ECONFLICT:        {Status: http.StatusBadRequest, Code: CodeExists},
	sluice.EFORBIDDEN:       {Status: http.StatusBadRequest, Code: CodeForbidden},
	sluice.EUNAUTHENTICATED: {Status: http.StatusUnauthorized, Code: CodeUnauth},
	sluice.ETHROTTLED:       {Status: http.StatusTooManyRequests, Code: CodeThrottled},
	sluice.EINTERNAL:        {Status: http.StatusInternalServerError, Code: CodeServer},
}

// problemFor maps err to DLI's terms. An internal error's cause goes to the log once (through the
// request's Info); the caller sees a generic text with the request id.
func problemFor(ctx context.Context, err error) Problem {
	var p *Problem
	if errors.As(err, &p) {
		return *p
	}
	var ae *api.AuthError
	if errors.As(err, &ae) {
		return Problem{Status: ae.Status, Code: ae.Code, Message: ae.Message}
	}
	if errors.Is(err, api.ErrBodyTooLarge) {
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: CodeParameter,
			Message: fmt.Sprintf("The request body is larger than %d bytes.", maxBody)}
	}
	code := sluice.ErrorCode(err)
	pr, ok := codes[code]
	if !ok || code == sluice.EINTERNAL {
		api.InfoFromContext(ctx).Err = err
		pr = codes[sluice.EINTERNAL]
		pr.Message = "An internal error occurred. Request id: " + sluice.RequestIDFromContext(ctx)
		return pr
	}
	pr.Message = sluice.ErrorMessage(err)
	return pr
}

// errorBody is DLI's error envelope. The SDK reads error_code and error_msg (both non-empty) and takes
// the request id from the X-Request-Id header; request_id repeats it as the API gateway does.
type errorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	p := problemFor(ctx, err)
	api.InfoFromContext(ctx).Code = p.Code
	writeJSON(w, p.Status, errorBody{ErrorCode: p.Code, ErrorMsg: p.Message, RequestID: sluice.RequestIDFromContext(ctx)})
}

// writeJSON sends v as JSON; nil sends no body (DeleteJobResource and the tag writes answer empty).
func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
		return
	}
	b, ok := v.(encoded)
	if !ok {
		var err error
		if b, err = api.MarshalJSON(v); err != nil { // only wire structs of our own reach here
			status, b = http.StatusInternalServerError, []byte(`{"error_code":"DLI.0999","error_msg":"An internal error occurred."}`)
		}
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decodeJSON decodes the body, which must be one JSON object, into v (api.DecodeJSONObject).
func (q *request) decodeJSON(v any) error { return api.DecodeJSONObject(q.body, v) }

// lenientBool is is_async: a JSON boolean, or the strings "true" / "false" of the doc's own example
// (dli-resources.md §6 #1).
type lenientBool bool

func (b *lenientBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null":
		*b = false
	default:
		return sluice.Errorf(sluice.EINVALID, "The field is_async must be true or false, not %s.", data)
	}
	return nil
}

// intQuery reads an optional non-negative integer query parameter; def when absent.
func (q *request) intQuery(name string, def, max int) (int, error) {
	v := q.query.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || (max > 0 && n > max) {
		if max > 0 {
			return 0, sluice.Errorf(sluice.EINVALID, "The parameter %s must be an integer from 0 to %d, not %q.", name, max, v)
		}
		return 0, sluice.Errorf(sluice.EINVALID, "The parameter %s must be a non-negative integer, not %q.", name, v)
	}
	return n, nil
}

// millis is a time as DLI sends it: Unix epoch milliseconds, a JSON integer.
func millis(t time.Time) *int64 {
	if t.IsZero() {
		return new(int64)
	}
	ms := t.UnixMilli()
	return &ms
}

// page returns items[offset:offset+limit] (limit 0: to the end).
func page[T any](items []T, offset, limit int) []T {
	if offset >= len(items) {
		return []T{}
	}
	items = items[offset:]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}
