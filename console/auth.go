package console

import (
	"context"
	"mime"
	"net"
	"net/http"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
)

type signIn struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// signInHandler checks a name and password and starts a session. It is the one API operation without a
// session; a page of another origin cannot use it (login CSRF), and only JSON is read, which a plain HTML
// form cannot send.
func (s *server) signInHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = api.StampRequestID(w, r, alibaba.RequestIDHeader)
		ctx := r.Context()
		api.InfoFromContext(ctx).API = "console:POST /console/api/signin"
		w.Header().Set("Cache-Control", "no-store")
		out, err := func() (*Session, error) {
			if !sameOrigin(r) {
				return nil, sluice.Errorf(sluice.EFORBIDDEN, "The request comes from another origin.")
			}
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				return nil, sluice.Errorf(sluice.EINVALID, "Send the user name and password as JSON.")
			}
			body, err := api.ReadBody(r, 64<<10)
			if err != nil {
				return nil, err
			}
			var in signIn
			if err := decode(body, &in); err != nil {
				return nil, err
			}
			res, err := s.Sessions.SignIn(ctx, in.User, in.Password, clientAddr(r))
			if err != nil {
				return nil, err
			}
			http.SetCookie(w, &http.Cookie{
				Name: cookieName, Value: res.Token, Path: Prefix, HttpOnly: true, Secure: r.TLS != nil,
				SameSite: http.SameSiteLaxMode, Expires: res.Session.ExpiresAt,
			})
			return &Session{User: userOut(res.User), CSRFToken: res.Session.CSRFToken}, nil
		}()
		if err != nil {
			writeError(ctx, w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// clientAddr is the address failed sign-ins are counted under: the peer's, never a forwarded header a
// client could set to dodge the count.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *server) signOut(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	a := sessionFrom(ctx)
	if err := s.Sessions.SignOut(ctx, a.token); err != nil {
		return nil, err
	}
	return signedOut{}, nil
}

// signedOut is the answer of sign-out, which also clears the cookie.
type signedOut struct{}

// clearCookie clears the browser's cookie after sign-out.
func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix, HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, Expires: time.Unix(1, 0), MaxAge: -1})
}

func (s *server) session(ctx context.Context, _ *http.Request, _ []byte) (any, error) {
	a := sessionFrom(ctx)
	return Session{User: userOut(a.user), CSRFToken: a.session.CSRFToken}, nil
}
