// Package console serves the web console at /console/: the page and its assets, embedded in the binary, and
// the JSON API the page calls under /console/api/. The API authenticates with a session cookie (made by
// signing in with a password) instead of a signature, and calls the same core services as the vendor faces
// with the signed-in user as the caller, so the console can show and do exactly what that user may do
// through the APIs — the rules are the core's, not repeated here.
package console

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/native"
)

// Prefix is where the console is served.
const Prefix = "/console/"

// cookieName is the session cookie; csrfHeader carries the session's CSRF token on every change.
const (
	cookieName = "sluice_session"
	csrfHeader = "X-CSRF-Token"
)

// maxBody bounds a console API request body (uploads stream and have their own limit).
const maxBody = 4 << 20

// Services are the core services the console calls.
type Services struct {
	Sessions  sluice.SessionService
	Identity  sluice.IdentityService
	Projects  sluice.ProjectService
	Files     sluice.FileService
	Lineage   sluice.LineageService
	Resources sluice.ResourceService
	Catalog   sluice.CatalogService
}

type server struct{ Services }

// handler serves one API operation. ctx carries the signed-in caller; body is the request body read whole
// (nil for streamed operations, which read r.Body themselves).
type handler func(ctx context.Context, r *http.Request, body []byte) (any, error)

// New returns the handler of /console/.
func New(svc Services) http.Handler {
	s := &server{Services: svc}
	mux := http.NewServeMux()
	s.register(mux)
	return secure(mux)
}

// register registers every console route on mux (New's ServeMux, or the recorder of Routes).
func (s *server) register(mux muxer) {
	api := func(pattern string, h handler) { mux.Handle(pattern, s.apiHandler(pattern, false, h)) }
	stream := func(pattern string, h handler) { mux.Handle(pattern, s.apiHandler(pattern, true, h)) }

	mux.Handle("POST /console/api/signin", s.signInHandler())
	api("POST /console/api/signout", s.signOut)
	api("GET /console/api/session", s.session)
	s.projectRoutes(api)
	s.fileRoutes(api)
	s.lineageRoutes(api)
	s.resourceRoutes(api, stream)
	s.packageRoutes(api)
	mux.Handle("/console/api/", s.apiHandler("", false, func(context.Context, *http.Request, []byte) (any, error) {
		return nil, &alibaba.Problem{Status: http.StatusNotFound, Code: "NotFound", Message: "No such console operation."}
	}))

	mux.Handle("GET /console/assets/", assets())
	mux.Handle("GET /console/signin", page("signin.html"))
	mux.Handle("/console/", s.appPage())
	mux.Handle("GET /console", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
	}))
}

// contentSecurityPolicy allows nothing but the console's own files: no inline scripts or styles, no other
// origin, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the headers every console response carries.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// appPage serves the application page for every console path, or sends a browser without a session to sign in.
func (s *server) appPage() http.Handler {
	app := page("index.html")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !safeMethod(r.Method) {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
			return
		}
		if _, err := s.authenticate(r); err != nil {
			next := r.URL.Path
			if r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/console/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		app.ServeHTTP(w, r)
	})
}

// authenticate resolves the request's session cookie to a context carrying its user.
func (s *server) authenticate(r *http.Request) (*authenticated, error) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, sluice.Errorf(sluice.EUNAUTHENTICATED, "Sign in to use the console.")
	}
	sess, u, err := s.Sessions.AuthenticateSession(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	ctx := sluice.NewContextWithCaller(r.Context(), &sluice.Caller{User: u})
	return &authenticated{ctx: ctx, session: sess, user: u, token: c.Value}, nil
}

type authenticated struct {
	ctx     context.Context
	session *sluice.Session
	user    *sluice.User
	token   string
}

type callerSessionKey struct{}

// sessionFrom returns the session of the signed-in request, set by apiHandler.
func sessionFrom(ctx context.Context) *authenticated {
	a, _ := ctx.Value(callerSessionKey{}).(*authenticated)
	return a
}

// apiHandler authenticates the session, checks the CSRF token of a change, runs h and writes its answer as
// JSON: the data itself with 200, or {code, message, requestId} with the error's status.
func (s *server) apiHandler(pattern string, streamed bool, h handler) http.Handler {
	name := "console:" + pattern
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = api.StampRequestID(w, r, alibaba.RequestIDHeader)
		ctx := r.Context()
		api.InfoFromContext(ctx).API = name
		w.Header().Set("Cache-Control", "no-store")
		data, err := func() (any, error) {
			a, err := s.authenticate(r)
			if err != nil {
				return nil, err
			}
			ctx = context.WithValue(a.ctx, callerSessionKey{}, a)
			if !safeMethod(r.Method) {
				if err := checkChange(r, a.session.CSRFToken); err != nil {
					return nil, err
				}
			}
			var body []byte
			if !streamed {
				if body, err = api.ReadBody(r, maxBody); err != nil {
					return nil, err
				}
			}
			return h(ctx, r, body)
		}()
		if err != nil {
			writeError(ctx, w, err)
			return
		}
		switch d := data.(type) {
		case *download:
			d.write(w)
			return
		case signedOut:
			clearCookie(w, r)
		}
		writeJSON(w, http.StatusOK, data)
	})
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// checkChange refuses a change that does not carry the session's CSRF token, or that a page of another
// origin sent: the cookie alone never authorizes a change.
func checkChange(r *http.Request, token string) error {
	if !sameOrigin(r) {
		return sluice.Errorf(sluice.EFORBIDDEN, "The request comes from another origin.")
	}
	got := r.Header.Get(csrfHeader)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return sluice.Errorf(sluice.EFORBIDDEN, "The request has no valid CSRF token: reload the console.")
	}
	return nil
}

// sameOrigin reports whether the request's Origin (sent by browsers on every cross-origin request and every
// POST) is absent or names this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func writeError(ctx context.Context, w http.ResponseWriter, err error) {
	p := alibaba.ProblemFor(ctx, err, native.Codes)
	api.InfoFromContext(ctx).Code = p.Code
	writeJSON(w, p.Status, Error{Code: p.Code, Message: p.Message, RequestID: sluice.RequestIDFromContext(ctx)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
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

// projectRef reads the {project} path value: a numeric id or a name.
func projectRef(r *http.Request) sluice.ProjectRef {
	v := r.PathValue("project")
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return sluice.ProjectByID(id)
	}
	return sluice.ProjectByName(v)
}

// intParam reads an optional integer query parameter within [lo, hi], def when absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, sluice.Errorf(sluice.EINVALID, "%s must be a whole number from %d to %d.", name, lo, hi)
	}
	return n, nil
}

// pathInt64 reads a positive integer path value.
func pathInt64(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, sluice.Errorf(sluice.EINVALID, "%s must be a positive whole number.", name)
	}
	return n, nil
}
