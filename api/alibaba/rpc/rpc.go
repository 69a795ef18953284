// Package rpc serves Alibaba Cloud RPC requests (Action=...&Version=..., path "/"): DataWorks 2020-05-18
// and MaxCompute 2019-06-12. It authenticates, decodes parameters, calls the core, and encodes the answer
// in JSON or XML in the shapes the official SDKs decode.
package rpc

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
)

// maxBody bounds a request body; script contents are the largest thing an RPC request carries.
const maxBody = 16 << 20

// action serves one API. It returns the response fields other than RequestId, as a struct whose JSON
// field names are the vendor's.
type action func(ctx context.Context, p params) (any, error)

// Server is the RPC adapter.
type Server struct {
	auth    *alibaba.Authenticator
	actions map[string]action // "version/Action"
	codes   alibaba.Codes
}

// Services are the core services the RPC face calls.
type Services struct {
	Projects sluice.ProjectService
	Files    sluice.FileService    // the data-development actions (workflows, folders, files, nodes)
	Lineage  sluice.LineageService // table lineage and the metadata actions
	Catalog  sluice.CatalogService // the MaxCompute catalogue the metadata actions describe tables from
}

// New returns the RPC handler.
func New(svc Services, auth *alibaba.Authenticator) *Server {
	s := &Server{auth: auth, actions: map[string]action{}, codes: dataWorksCodes}
	for _, g := range actionTable(svc) {
		if g.served {
			s.register(g.version, g.actions)
		}
	}
	return s
}

func (s *Server) register(version string, actions map[string]action) {
	for name, a := range actions {
		s.actions[version+"/"+name] = a
	}
}

// dataWorksCodes maps sluice errors to DataWorks codes (seed 003/004 error tables, alibaba-rpc.md §3).
var dataWorksCodes = alibaba.Codes{
	sluice.EINVALID:         {Status: http.StatusBadRequest, Code: "InvalidParameter"},
	sluice.ENOTFOUND:        {Status: http.StatusNotFound, Code: "InvalidParameter.NotExist"},
	sluice.ECONFLICT:        {Status: http.StatusConflict, Code: "InvalidParameter.Conflict"},
	sluice.EFORBIDDEN:       {Status: http.StatusForbidden, Code: "Forbidden.Access"},
	sluice.EUNAUTHENTICATED: {Status: http.StatusNotFound, Code: "InvalidAccessKeyId.NotFound"},
	sluice.ETHROTTLED:       {Status: http.StatusTooManyRequests, Code: "Throttling.User"},
	sluice.EINTERNAL:        {Status: http.StatusInternalServerError, Code: "InternalError.System"},
}

// ServeHTTP dispatches on Action and Version (parameters, or the x-acs-* headers of ACS3 requests).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = api.StampRequestID(w, r, alibaba.RequestIDHeader)
	ctx := r.Context()
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.writeError(w, r, formatJSON, "", &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter", Message: "The query string is malformed."})
		return
	}
	format := responseFormat(query.Get("Format"))
	body, err := api.ReadBody(r, maxBody)
	if err != nil {
		s.writeError(w, r, format, "", err)
		return
	}
	var form url.Values
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && len(body) > 0 {
		if form, err = url.ParseQuery(string(body)); err != nil {
			s.writeError(w, r, format, "", &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter", Message: "The form body is malformed."})
			return
		}
		if f := form.Get("Format"); f != "" && query.Get("Format") == "" {
			format = responseFormat(f)
		}
	}
	p := params{query: query, form: form}
	name, version := p.get("Action"), p.get("Version")
	if name == "" {
		name = r.Header.Get("x-acs-action")
	}
	if version == "" {
		version = r.Header.Get("x-acs-version")
	}
	api.InfoFromContext(ctx).API = "rpc:" + name
	act, ok := s.actions[version+"/"+name]
	if !ok {
		s.writeError(w, r, format, name, &alibaba.Problem{Status: http.StatusNotFound, Code: "InvalidApi.NotFound",
			Message: "Specified api is not found, please check your url and method."})
		return
	}
	if f := p.get("Format"); f != "" && !strings.EqualFold(f, "json") && !strings.EqualFold(f, "xml") {
		s.writeError(w, r, formatJSON, name, &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter.Format",
			Message: "The specified parameter Format is not valid: use JSON or XML."})
		return
	}
	var nonce *api.NonceCheck
	if readOnly(name) { // served while its nonce is recorded, answered after
		var nctx context.Context
		nctx, nonce = api.WithNonceCheck(ctx)
		r = r.WithContext(nctx)
	}
	ctx, _, err = s.auth.RPC.Authenticate(r, body)
	var out any
	if err == nil {
		out, err = act(ctx, p)
	}
	if nerr := nonce.Wait(); nerr != nil { // a replay is refused as one, whatever the action found
		err = nerr
	}
	if err != nil {
		s.writeError(w, r, format, name, err)
		return
	}
	s.write(w, r, format, name, http.StatusOK, out)
}

// readOnly reports whether an action only reads: by the vendors' naming, Get... and List... actions never
// change anything (every such action registered here is a read). Such a request may be served while its
// nonce is being recorded (api.NonceCheck).
func readOnly(action string) bool {
	return strings.HasPrefix(action, "Get") || strings.HasPrefix(action, "List")
}

type format int

const (
	formatJSON format = iota
	formatXML
)

func responseFormat(v string) format {
	if strings.EqualFold(v, "xml") {
		return formatXML
	}
	return formatJSON
}

// write sends a response: the fields of out, led by RequestId.
func (s *Server) write(w http.ResponseWriter, r *http.Request, f format, name string, status int, out any) {
	id := sluice.RequestIDFromContext(r.Context())
	fields, err := api.MarshalJSON(out)
	if err != nil || len(fields) < 2 || fields[0] != '{' {
		api.InfoFromContext(r.Context()).Err = err
		fields = []byte("{}")
	}
	var buf bytes.Buffer
	buf.WriteString(`{"RequestId":`)
	idJSON, _ := api.MarshalJSON(id)
	buf.Write(idJSON)
	if len(fields) > 2 {
		buf.WriteByte(',')
	}
	buf.Write(fields[1:])
	if f == formatXML {
		root := name + "Response"
		if status >= 400 {
			root = "Error"
		}
		x, err := jsonToXML(root, buf.Bytes())
		if err == nil {
			w.Header().Set("Content-Type", "application/xml;charset=utf-8")
			w.WriteHeader(status)
			w.Write(x)
			return
		}
		api.InfoFromContext(r.Context()).Err = err
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorBody carries both the gateway fields (read by the SDKs to build their error) and the DataWorks
// business fields, all strings but HttpStatusCode and Success (alibaba-rpc.md §6.3).
type errorBody struct {
	HostID         string `json:"HostId"`
	Code           string `json:"Code"`
	Message        string `json:"Message"`
	Recommend      string `json:"Recommend"`
	HTTPStatusCode int    `json:"HttpStatusCode"`
	ErrorCode      string `json:"ErrorCode"`
	ErrorMessage   string `json:"ErrorMessage"`
	Success        bool   `json:"Success"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, f format, name string, err error) {
	p := alibaba.ProblemFor(r.Context(), err, s.codes)
	api.InfoFromContext(r.Context()).Code = p.Code
	alibaba.RateLimitHeader(w, r.Context())
	// The old SDK parses only JSON error bodies, and the new one's RPC path likewise: send XML errors only
	// to clients that asked for XML.
	s.write(w, r, f, name, p.Status, errorBody{HostID: r.Host, Code: p.Code, Message: p.Message, Recommend: alibaba.Recommend(p.Code),
		HTTPStatusCode: p.Status, ErrorCode: p.Code, ErrorMessage: p.Message})
}
