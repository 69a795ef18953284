package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/console"
	"github.com/sluice-dev/sluice/sluicetest"
)

// fuzzValues are path values that name the fuzz fixture's objects, by placeholder.
var fuzzValues = map[string]string{"project": "fuzz_p", "id": "1", "version": "1", "table": "t1", "column": "a",
	"name": "pkg1", "source": "fuzz_p", "consumer": "fuzz_q", "type": "table", "object": "t1"}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// fuzzFixture makes the project the seeds name, with a table, a package and a resource, unless it exists (a
// fuzzed request may have deleted parts of it; a missing part only makes some requests answer NotFound).
func fuzzFixture(tb testing.TB, c *native.Client) {
	ctx := context.Background()
	if _, err := c.GetProject(ctx, "fuzz_p"); err == nil {
		return
	}
	for _, p := range []string{"fuzz_p", "fuzz_q"} {
		if _, err := c.CreateProject(ctx, p, "", ""); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := c.RunSQL(ctx, "fuzz_p", "CREATE TABLE t1 (a BIGINT, b STRING); CREATE PACKAGE pkg1; ADD TABLE t1 TO PACKAGE pkg1;"); err != nil {
		tb.Fatal(err)
	}
	jar := "PK jar bytes"
	if _, err := c.UploadResource(ctx, "fuzz_p", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
		tb.Fatal(err)
	}
}

// FuzzServe sends requests to every console route of a real server (the core over SQLite, in this
// process) with arbitrary path values, queries and bodies, as the signed-in root user, or with a forged
// session cookie, a forged CSRF token or a foreign Origin. It checks the console never answers a 5xx or
// panics; every console answer carries its security headers; every API answer is one JSON object, a
// refusal being {code, message, requestId} with the id sent in x-acs-request-id; a forged cookie is always
// 401 on the API; a change with a forged CSRF token or from another origin is always 403.
//
// how: bits 0-1 send the session as it is, a forged cookie (cookie), a forged X-CSRF-Token (cookie), or a
// foreign Origin (cookie, as "http://" + cookie).
func FuzzServe(f *testing.F) {
	srv := sluicetest.NewServer(f)
	c := srv.Client()
	ctx := context.Background()
	who, err := c.Whoami(ctx)
	if err != nil {
		f.Fatal(err)
	}
	const password = "fuzz-console-password"
	if err := c.SetPassword(ctx, who.User, password); err != nil {
		f.Fatal(err)
	}
	fuzzFixture(f, c)
	h := srv.Server.Handler()

	// Sign in once, as the page does.
	signIn, _ := json.Marshal(map[string]string{"user": who.User, "password": password})
	r := httptest.NewRequest("POST", "http://"+srv.Endpoint+"/console/api/signin", bytes.NewReader(signIn))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var session struct {
		CSRFToken string `json:"csrfToken"`
	}
	cookies := w.Result().Cookies()
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &session) != nil || len(cookies) != 1 {
		f.Fatalf("sign in: %d %s", w.Code, w.Body)
	}
	token := cookies[0].Value

	routes := console.Routes()
	for i, rt := range routes {
		var vals []string
		for _, p := range placeholder.FindAllString(rt, -1) {
			vals = append(vals, fuzzValues[strings.Trim(p, "{}")])
		}
		vals = append(vals, "", "", "", "")
		body := consoleBodies[rt]
		query := "parent=&folder=&keyword=f&offset=0&limit=10&prefix=&marker=&table=odps.fuzz_p.t1&column=odps.fuzz_p.t1.a" +
			"&env=dev&version=1&direction=both&depth=2&kind=jar&group=g1&source=fuzz_p&installedOffset=0"
		for _, how := range []uint8{0, 1, 2, 3} {
			f.Add(uint8(i), vals[0], vals[1], vals[2], vals[3], query, body, how, "forged")
		}
	}
	f.Add(uint8(0), "%zz", "..", "", "", "a=%zz&;", "{}x", uint8(0), "")
	f.Fuzz(func(t *testing.T, ri uint8, a, b, c3, d, rawQuery, body string, how uint8, forged string) {
		rt := routes[int(ri)%len(routes)]
		if rt == "POST /console/api/signout" && how&3 != 1 {
			return // would end the one session every other request uses
		}
		if strings.ContainsAny(forged, "\r\n\x00") {
			return // no such header arrives over HTTP
		}
		method, pattern, _ := strings.Cut(rt, " ")
		vals := []string{a, b, c3, d}
		i := 0
		p := placeholder.ReplaceAllStringFunc(pattern, func(string) string {
			i++
			return url.PathEscape(vals[i-1])
		})
		q, _ := url.ParseQuery(rawQuery)
		target := p + "?" + q.Encode()
		r := httptest.NewRequest(method, "http://"+srv.Endpoint+target, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		cookie, csrf, origin := token, session.CSRFToken, ""
		switch how & 3 {
		case 1:
			if forged == token {
				return
			}
			cookie = forged
		case 2:
			if forged == csrf {
				return
			}
			csrf = forged
		case 3:
			origin = "http://" + forged
			r.Header.Set("Origin", origin)
		}
		r.Header.Set("Cookie", "sluice_session="+cookie) // as sent, not as http.Cookie would clean it
		r.Header.Set("X-CSRF-Token", csrf)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		status, out := w.Code, w.Body.Bytes()
		where := method + " " + target
		if status >= 300 && status < 400 && path.Clean(r.URL.Path) != r.URL.Path {
			return // the server's mux sends a path with "." or ".." segments or "//" to its clean form
		}
		if status >= 500 || status < 200 {
			t.Fatalf("%s %q: status %d: %s", where, body, status, out)
		}
		if w.Header().Get("Content-Security-Policy") == "" || w.Header().Get("X-Frame-Options") != "DENY" {
			t.Fatalf("%s: status %d without the console's security headers", where, status)
		}
		if !strings.HasPrefix(r.URL.Path, "/console/api/") {
			return // a page, an asset or a redirect to sign in
		}
		if status == 200 && method == "DELETE" {
			fuzzFixture(t, srv.Client())
		}
		change := method != "GET" && method != "HEAD" && !strings.HasSuffix(pattern, "/signin")
		foreign := false
		if origin != "" {
			u, err := url.Parse(origin)
			foreign = err != nil || u.Host != r.Host
		}
		switch {
		case how&3 == 1 && !strings.HasSuffix(pattern, "/signin") && status != http.StatusUnauthorized:
			t.Fatalf("%s: a forged session cookie got %d: %s", where, status, out)
		case how&3 == 2 && change && status != http.StatusForbidden:
			t.Fatalf("%s: a forged CSRF token got %d: %s", where, status, out)
		case how&3 == 3 && change && foreign && status != http.StatusForbidden:
			t.Fatalf("%s: a change from origin %q got %d: %s", where, origin, status, out)
		}
		if status == 200 && w.Header().Get("Content-Type") == "application/octet-stream" {
			return // a download
		}
		if status >= 300 {
			var e console.Error
			var fields map[string]json.RawMessage
			if !json.Valid(out) || !bytes.HasPrefix(out, []byte("{")) || json.Unmarshal(out, &e) != nil || json.Unmarshal(out, &fields) != nil {
				t.Fatalf("%s: status %d, body is not one JSON object: %s", where, status, out)
			}
			if e.Code == "" || e.Message == "" || len(fields) != 3 || e.RequestID != w.Header().Get("x-acs-request-id") || e.RequestID == "" {
				t.Fatalf("%s: status %d, error body %s", where, status, out)
			}
		} else if !json.Valid(out) {
			t.Fatalf("%s: success body is not JSON: %s", where, out)
		}
	})
}
