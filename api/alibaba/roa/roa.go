// Package roa serves the Alibaba Cloud ROA face of MaxCompute, API version 2022-01-04: REST paths under
// /api/v1/, camelCase JSON, signed with ACS3-HMAC-SHA256 (darabonba-openapi's default) or the legacy
// "Authorization: acs AK:signature" (darabonba-openapi with SignatureAlgorithm "v2", and the old
// alibaba-cloud-sdk-go's CommonRequest with a PathPattern). Specs: maxcompute-packages.md §1–§6 and
// alibaba-rpc.md §6–§8; what this face answers is described in docs/maxcompute.md.
//
// Every request goes the same way: find the route by method and path, read the body once (with a limit),
// verify the signature, put the caller into the context, decode, call a sluice service, encode. Who may do
// what is decided by the service, never here.
package roa

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
)

// Version is the API version this face speaks. A client that signs another x-acs-version is refused.
const Version = "2022-01-04"

// maxBody bounds a request body. The write APIs take small JSON documents.
const maxBody = 1 << 20

// Services are the core services the ROA face calls. Projects is required; without Catalog the catalogue
// and package routes are not served, without Resources ListResources is not (an embedding may leave them
// out, and then those paths answer InvalidAction.NotFound like any other unknown API).
type Services struct {
	Projects  sluice.ProjectService
	Catalog   sluice.CatalogService
	Resources sluice.ResourceService
}

// handler serves /api/v1/.
type handler struct {
	projects  sluice.ProjectService
	catalog   sluice.CatalogService
	resources sluice.ResourceService
	auth      *alibaba.Authenticator
	routes    []*route
}

// New returns the MaxCompute 2022-01-04 ROA handler. It is mounted at "/api/v1/" and sees full paths.
func New(svc Services, auth *alibaba.Authenticator) http.Handler {
	h := &handler{projects: svc.Projects, catalog: svc.Catalog, resources: svc.Resources, auth: auth}
	for _, rt := range routeTable(h) {
		if rt.needs == nil || rt.needs(svc) {
			h.routes = append(h.routes, rt)
		}
	}
	for _, rt := range h.routes {
		rt.segments = strings.Split(strings.TrimPrefix(rt.pattern, "/"), "/")
		rt.api = "roa:" + rt.action
	}
	return h
}

// route is one API: a handler returns the whole response body (envelope included) or an error, which
// writeError renders.
type route struct {
	method   string
	pattern  string
	action   string
	serve    func(ctx context.Context, q *request) (any, error)
	needs    func(Services) bool // whether New serves the route with these services; nil: always
	segments []string
	api      string // "roa:" + action, as logs and metrics name it
}

// match reports whether segments (already unescaped) fit the pattern, and the path parameters.
func (rt *route) match(segments []string) (map[string]string, bool) {
	if len(segments) != len(rt.segments) {
		return nil, false
	}
	var params map[string]string
	for i, s := range rt.segments {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			if segments[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[s[1:len(s)-1]] = segments[i]
			continue
		}
		if s != segments[i] {
			return nil, false
		}
	}
	return params, true
}

// request is what a route handler gets: the path parameters, the query and the body bytes.
type request struct {
	params map[string]string
	query  url.Values
	body   []byte
}

// boolQuery parses an optional boolean query parameter, as DARA sends it ("true"/"false").
func (q *request) boolQuery(name string) (bool, error) {
	v := q.query.Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, sluice.Errorf(sluice.EINVALID, "The parameter %s must be true or false, not %q.", name, v)
	}
	return b, nil
}

// decodeJSON decodes the request body, which must be one JSON object, into v (api.DecodeJSONObject).
func (q *request) decodeJSON(v any) error { return api.DecodeJSONObject(q.body, v) }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = api.StampRequestID(w, r, alibaba.RequestIDHeader)
	ctx := r.Context()
	rt, params := h.find(r)
	if rt == nil {
		writeError(w, r, &alibaba.Problem{Status: http.StatusNotFound, Code: "InvalidAction.NotFound",
			Message: fmt.Sprintf("Specified api is not found, please check your url and method: %s %s.", r.Method, r.URL.EscapedPath())})
		return
	}
	api.InfoFromContext(ctx).API = rt.api
	var nonce *api.NonceCheck
	if rt.method == http.MethodGet { // a read: served while its nonce is recorded, answered after
		var nctx context.Context
		nctx, nonce = api.WithNonceCheck(ctx)
		r = r.WithContext(nctx)
	}
	resp, err := h.serve(r, rt, params)
	if nerr := nonce.Wait(); nerr != nil { // a replay is refused as one, whatever the handler found
		err = nerr
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// find returns the route for r's method and path.
func (h *handler) find(r *http.Request) (*route, map[string]string) {
	segments, ok := api.PathSegments(r)
	if !ok {
		return nil, nil
	}
	for _, rt := range h.routes {
		if rt.method != r.Method {
			continue
		}
		if params, ok := rt.match(segments); ok {
			return rt, params
		}
	}
	return nil, nil
}

// serve authenticates r and runs the route.
func (h *handler) serve(r *http.Request, rt *route, params map[string]string) (any, error) {
	body, err := api.ReadBody(r, maxBody)
	if err != nil {
		if errors.Is(err, api.ErrBodyTooLarge) {
			return nil, err
		}
		return nil, &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter", Message: "The request body could not be read."}
	}
	ctx, signed, err := h.auth.ROA.Authenticate(r, body)
	if err != nil {
		return nil, err
	}
	if signed.Version != "" && signed.Version != Version {
		return nil, &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidVersion",
			Message: fmt.Sprintf("Specified parameter Version is not valid: this endpoint serves %s, not %q.", Version, signed.Version)}
	}
	return rt.serve(ctx, &request{params: params, query: r.URL.Query(), body: body})
}

// codes maps sluice error codes to MaxCompute's. The 2022-01-04 reference does not document this API's
// error codes (maxcompute-packages.md §3, open question), so they are the ones the MaxCompute REST service
// answers (the ODPS codes pyodps turns into exceptions: NoSuchObject, ObjectAlreadyExists,
// NoPermission, AuthorizationRequired, InternalServerError) plus the Alibaba gateway's InvalidParameter and
// Throttling.User, the gateway's code for a key over its flow control limit, as the RPC face answers it
// (DARA makes Throttling, Throttling.User and Throttling.Api its ThrottlingError).
//
//	sluice            HTTP  code                  notes
//	EINVALID          400   InvalidParameter
//	ENOTFOUND         404   NoSuchObject          never for a project (core: a missing one is EFORBIDDEN)
//	ECONFLICT         409   ObjectAlreadyExists   e.g. CreateProject with a taken name
//	EFORBIDDEN        403   NoPermission          e.g. not a member of the project or no such project, or not its owner
//	EUNAUTHENTICATED  401   AuthorizationRequired
//	ETHROTTLED        429   Throttling.User       over a rate limit (api.Limiter), with Retry-After
//	EINTERNAL         500   InternalServerError   logged once by the middleware; generic message
//
// Besides these: unknown method+path 404 InvalidAction.NotFound (the gateway's code), a foreign
// x-acs-version 400 InvalidVersion, a body over 1 MiB 413 InvalidParameter.BodyTooLarge, and signature
// failures with alibaba/auth's gateway codes and statuses (SignatureDoesNotMatch, InvalidAccessKeyId.NotFound,
// SignatureNonceUsed, InvalidTimeStamp.Expired, ...).
var codes = alibaba.Codes{
	sluice.EINVALID:         {Status: http.StatusBadRequest, Code: "InvalidParameter"},
	sluice.ENOTFOUND:        {Status: http.StatusNotFound, Code: "NoSuchObject"},
	sluice.ECONFLICT:        {Status: http.StatusConflict, Code: "ObjectAlreadyExists"},
	sluice.EFORBIDDEN:       {Status: http.StatusForbidden, Code: "NoPermission"},
	sluice.EUNAUTHENTICATED: {Status: http.StatusUnauthorized, Code: "AuthorizationRequired"},
	sluice.ETHROTTLED:       {Status: http.StatusTooManyRequests, Code: "Throttling.User"},
	sluice.EINTERNAL:        {Status: http.StatusInternalServerError, Code: "InternalServerError"},
}

// errorBody is every error answer. It carries the MaxCompute fields (requestId, httpCode, errorCode,
// errorMsg), the lower-case code/message that DARA reads (it ignores errorCode/errorMsg), and the Alibaba
// gateway fields (RequestId, HostId, Code, Message, Recommend) that the old SDK reads, case-sensitively,
// into its ServerError. All are strings except httpCode, so neither SDK trips over a type.
type errorBody struct {
	RequestID string `json:"requestId"`
	HTTPCode  int    `json:"httpCode"`
	ErrorCode string `json:"errorCode"`
	ErrorMsg  string `json:"errorMsg"`
	Code      string `json:"code"`
	Message   string `json:"message"`

	GatewayRequestID string `json:"RequestId"`
	HostID           string `json:"HostId"`
	GatewayCode      string `json:"Code"`
	GatewayMessage   string `json:"Message"`
	Recommend        string `json:"Recommend"`
}

// writeError renders err in the vendor's envelope with a 4xx status for anything the caller did wrong.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	p := alibaba.ProblemFor(ctx, err, codes)
	api.InfoFromContext(ctx).Code = p.Code
	alibaba.RateLimitHeader(w, ctx)
	id := sluice.RequestIDFromContext(ctx)
	writeJSON(w, p.Status, errorBody{
		RequestID: id, HTTPCode: p.Status, ErrorCode: p.Code, ErrorMsg: p.Message, Code: p.Code, Message: p.Message,
		GatewayRequestID: id, HostID: r.Host, GatewayCode: p.Code, GatewayMessage: p.Message, Recommend: alibaba.Recommend(p.Code),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := api.MarshalJSON(v)
	if err != nil { // only wire structs of our own reach here
		status, b = http.StatusInternalServerError, []byte(`{"code":"InternalServerError","Code":"InternalServerError"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Success envelopes (maxcompute-packages.md §3). Which one an action uses is fixed by its response model in
// the generated client.

// dataResponse is {requestId, data}.
type dataResponse struct {
	RequestID string `json:"requestId"`
	Data      any    `json:"data"`
}

// codedResponse is {requestId, httpCode, errorCode, errorMsg, data}; errorCode and errorMsg are empty on
// success and left out.
type codedResponse struct {
	RequestID string `json:"requestId"`
	HTTPCode  int    `json:"httpCode"`
	ErrorCode string `json:"errorCode,omitempty"`
	ErrorMsg  string `json:"errorMsg,omitempty"`
	Data      any    `json:"data"`
}

func ok(ctx context.Context, data any) dataResponse {
	return dataResponse{RequestID: sluice.RequestIDFromContext(ctx), Data: data}
}

func okCoded(ctx context.Context, data any) codedResponse {
	return codedResponse{RequestID: sluice.RequestIDFromContext(ctx), HTTPCode: http.StatusOK, Data: data}
}
