package native_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// seedValues are path values that name the fixture's objects, by placeholder.
var seedValues = map[string]string{"project": "fuzz_p", "user": "fuzz_u", "key": "LTAIfuzz", "file": "1",
	"version": "1", "name": "r1.jar"}

// seedQuery holds every query parameter the native API reads; each operation ignores the others.
const seedQuery = "table=odps.fuzz_p.t1&column=odps.fuzz_p.t1.a&direction=both&depth=2&asOf=1&kind=jar&group=g1" +
	"&user=fuzz_u&prefix=f&marker=a&maxItems=10&file=1&version=1&namespace=n&limit=10&operation=CreateProject&project=fuzz_p"

// seedBodies are valid bodies of the operations that take one.
var seedBodies = map[string]string{
	"POST /sluice/v1/users":                                        `{"name":"fuzz_v","role":"member"}`,
	"PUT /sluice/v1/users/{user}/password":                         `{"password":"a long enough password"}`,
	"POST /sluice/v1/projects":                                     `{"name":"fuzz_q","displayName":"Q","comment":"c"}`,
	"PUT /sluice/v1/projects/{project}/members/{user}":             `{"role":"developer"}`,
	"POST /sluice/v1/projects/{project}/files/{file}/lineage/diff": `{"from":1,"to":2,"script":"INSERT INTO t2 SELECT a FROM t1;"}`,
	"POST /sluice/v1/projects/{project}/sql":                       `{"script":"CREATE TABLE t3 (a BIGINT); DESC TABLE t1;"}`,
	"PUT /sluice/v1/projects/{project}/resources/{name}":           "PK jar bytes",
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// fixture makes the objects the seeds name, those that do not exist (a fuzzed request may have deleted them).
func fixture(tb testing.TB, c *native.Client) {
	ctx := context.Background()
	if _, err := c.GetProject(ctx, "fuzz_p"); err == nil {
		return
	}
	if _, err := c.CreateProject(ctx, "fuzz_p", "", ""); err != nil {
		tb.Fatal(err)
	}
	if _, err := c.RunSQL(ctx, "fuzz_p", "CREATE TABLE t1 (a BIGINT, b STRING);"); err != nil {
		tb.Fatal(err)
	}
	jar := "PK jar bytes"
	if _, err := c.UploadResource(ctx, "fuzz_p", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
		tb.Fatal(err)
	}
}

// FuzzServe sends requests to every operation of the native API on a real server (the core over SQLite,
// in this process): arbitrary path values, queries and bodies, signed with ACS3 or the legacy scheme, or
// not at all, or declaring another body's SHA-256. It checks the API never answers a 5xx or panics; every
// JSON answer is one object carrying the request id sent in x-acs-request-id; a success has data (or is a
// download); a refusal is {requestId, code, message}; an unsigned request, or one whose body is not the
// one it signed, is refused.
//
// how: bits 0-1 sign with ACS3, the legacy scheme, not at all, or ACS3 over another body's SHA-256.
func FuzzServe(f *testing.F) {
	srv := sluicetest.NewServer(f)
	c := srv.Client()
	if _, err := c.CreateUser(context.Background(), "fuzz_u", "member"); err != nil {
		f.Fatal(err)
	}
	fixture(f, c)
	h := srv.Server.Handler()
	routes := native.Routes()
	for i, rt := range routes {
		var vals []string
		for _, p := range placeholder.FindAllString(rt, -1) {
			vals = append(vals, seedValues[strings.Trim(p, "{}")])
		}
		vals = append(vals, "", "", "")
		for _, how := range []uint8{0, 1} {
			f.Add(uint8(i), vals[0], vals[1], vals[2], seedQuery, seedBodies[rt], how)
		}
	}
	f.Add(uint8(0), "%zz", "..", "", "a=%zz&;", "{}x", uint8(2))
	f.Add(uint8(1), "", "", "", "", `{"name":"x"} {}`, uint8(3))
	f.Fuzz(func(t *testing.T, ri uint8, a, b, c3, rawQuery, body string, how uint8) {
		rt := routes[int(ri)%len(routes)]
		method, pattern, _ := strings.Cut(rt, " ")
		vals := []string{a, b, c3}
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
		switch how & 3 {
		case 0:
			auth.SignACS3(r, []byte(body), srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
		case 1:
			auth.SignROA(r, []byte(body), srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
		case 3:
			other := sha256.Sum256([]byte(body + "x"))
			auth.SignACS3Hash(r, hex.EncodeToString(other[:]), srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		status, out := w.Code, w.Body.Bytes()
		where := method + " " + target
		if status >= 300 && status < 400 && path.Clean(r.URL.Path) != r.URL.Path {
			return // the server's mux sends a path with "." or ".." segments or "//" to its clean form
		}
		if status < 200 || status >= 300 && status < 400 || status >= 500 {
			t.Fatalf("%s %q: status %d: %s", where, body, status, out)
		}
		if how&3 >= 2 && status < 400 {
			t.Fatalf("%s %q: a request not signed over its body was served: %s", where, body, out)
		}
		if status == 200 && method == "DELETE" {
			fixture(t, srv.Client())
		}
		if status == 200 && w.Header().Get("Content-Type") == "application/octet-stream" {
			return // a download
		}
		var e struct {
			RequestID string `json:"requestId"`
			Code      string `json:"code"`
			Message   string `json:"message"`
		}
		var fields map[string]json.RawMessage
		if !json.Valid(out) || !bytes.HasPrefix(out, []byte("{")) || json.Unmarshal(out, &e) != nil || json.Unmarshal(out, &fields) != nil {
			t.Fatalf("%s: status %d, body is not one JSON object: %s", where, status, out)
		}
		if id := w.Header().Get("x-acs-request-id"); id == "" || e.RequestID != id {
			t.Fatalf("%s: requestId %q, header %q", where, e.RequestID, id)
		}
		_, data := fields["data"]
		if status < 400 {
			if !data || e.Code != "" {
				t.Fatalf("%s: success body %s", where, out)
			}
			return
		}
		if e.Code == "" || e.Message == "" || data {
			t.Fatalf("%s: status %d, error body %s", where, status, out)
		}
	})
}
