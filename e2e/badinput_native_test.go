package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// nativeQuery are the query parameters the native API's operations read; every GET gets each of them bad
// (an operation that does not read one must ignore it).
var nativeQuery = []string{"prefix", "marker", "maxItems", "group", "kind", "table", "column", "direction", "depth",
	"limit", "asOf", "file", "namespace", "user"}

// nativeBodies are valid JSON bodies of the native operations that take one, by route.
var nativeBodies = map[string]string{
	"POST /sluice/v1/users":                                        `{"name":"u2","role":"member"}`,
	"POST /sluice/v1/projects":                                     `{"name":"bad_n2","displayName":"显示名","comment":"c"}`,
	"PUT /sluice/v1/projects/{project}/members/{user}":             `{"role":"viewer"}`,
	"PUT /sluice/v1/users/{user}/password":                         `{"password":"a long enough password"}`,
	"POST /sluice/v1/projects/{project}/files/{file}/lineage/diff": `{"from":1,"to":0,"script":"INSERT OVERWRITE TABLE t2 SELECT a FROM t1;"}`,
	"POST /sluice/v1/projects/{project}/sql":                       `{"script":"SHOW TABLES;"}`,
}

// TestBadInputNative does for Sluice's own API what the vendor faces' generated tests do: every path value,
// query parameter and body member of every operation (native.Routes) gets each bad value; answers are the
// native envelope or a success, never a 5xx, and a refused request changes nothing.
func TestBadInputNative(t *testing.T) {
	if testing.Short() {
		t.Skip("many requests")
	}
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	total := 0
	for _, route := range native.Routes() {
		method, pattern, _ := strings.Cut(route, " ")
		t.Run(route, func(t *testing.T) {
			// A server per operation: a deleting operation's successes cannot disturb the next one's fixture.
			srv := sluicetest.NewServer(t)
			ctx := context.Background()
			root := srv.Client()
			if _, err := root.CreateProject(ctx, "bad_n", "", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := root.CreateUser(ctx, "alice", "member"); err != nil {
				t.Fatal(err)
			}
			key, err := root.CreateKey(ctx, "alice")
			if err != nil {
				t.Fatal(err)
			}
			jar := "PK jar bytes"
			if _, err := root.UploadResource(ctx, "bad_n", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
				t.Fatal(err)
			}
			pathValues := map[string]string{"project": "bad_n", "user": "alice", "key": key.AccessKeyID, "name": "r1.jar",
				"file": "1", "version": "1"}
			queryValues := map[string]string{"group": "g1", "table": "odps.bad_n.t1", "maxItems": "10"}
			digest := dbDigest(t, filepath.Join(srv.Server.Config.DataDir, "sluice.db"))
			before := digest()
			send := func(what string, path, q map[string]string, body []byte) {
				t.Helper()
				u := pattern
				for k, v := range path {
					u = strings.Replace(u, "{"+k+"}", url.PathEscape(v), 1)
				}
				vals := url.Values{}
				for k, v := range q {
					vals.Set(k, v)
				}
				r, _ := http.NewRequest(method, srv.URL+u+"?"+vals.Encode(), bytes.NewReader(body))
				r.Header.Set("x-acs-action", "Any")
				r.Header.Set("x-acs-version", native.Version)
				if body != nil {
					r.Header.Set("content-type", "application/json; charset=utf-8")
				}
				auth.SignACS3(r, body, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
				res, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				out, _ := io.ReadAll(res.Body)
				res.Body.Close()
				total++
				switch {
				case res.StatusCode >= 500:
					t.Fatalf("%s: %d %s", what, res.StatusCode, trim(out))
				case res.StatusCode < 400:
					before = digest()
				default:
					var env struct{ RequestID, Code, Message string }
					if err := json.Unmarshal(out, &env); err != nil || env.Code == "" || env.Message == "" || env.RequestID == "" {
						t.Fatalf("%s: %d without the native error envelope: %s", what, res.StatusCode, trim(out))
					}
					if after := digest(); after != before {
						t.Fatalf("%s: refused with %s, but the database changed", what, env.Code)
					}
				}
			}
			bodyText, hasBody := nativeBodies[route]
			if method == http.MethodPut && strings.HasSuffix(pattern, "/resources/{name}") {
				bodyText, hasBody = "raw bytes", true // the upload streams raw bytes, not JSON
			}
			baseline := func() (map[string]string, map[string]string, []byte) {
				q := map[string]string{}
				if method == http.MethodGet {
					q = maps.Clone(queryValues)
				}
				var body []byte
				if hasBody {
					body = []byte(bodyText)
				}
				return maps.Clone(pathValues), q, body
			}
			for name := range pathValues {
				if !strings.Contains(pattern, "{"+name+"}") {
					continue
				}
				for label, v := range badValues("string") {
					if v == nil || *v == "" || strings.ContainsAny(*v, "/\x00") || len(*v) > 1<<16 {
						continue // a path segment cannot be missing, empty, hold '/' or NUL, or exceed a URL's size
					}
					path, q, body := baseline()
					path[name] = *v
					send(fmt.Sprintf("path %s=%s", name, label), path, q, body)
				}
			}
			if method == http.MethodGet {
				for _, n := range nativeQuery {
					for label, v := range badValues("string") {
						if v != nil && len(*v) > 1<<16 {
							continue // a 1 MB query string exceeds what the HTTP server reads of a request's head
						}
						path, q, body := baseline()
						if v == nil {
							delete(q, n)
						} else {
							q[n] = *v
						}
						send(fmt.Sprintf("query %s=%s", n, label), path, q, body)
					}
				}
			}
			if !hasBody || !strings.HasPrefix(bodyText, "{") {
				return
			}
			var sample any
			if err := json.Unmarshal([]byte(bodyText), &sample); err != nil {
				t.Fatal(err)
			}
			for _, p := range jsonPaths(sample, nil) {
				values := map[string]any{"missing": missingField{}, "null": nil, "number": -1, "huge number": 1e300,
					"object": map[string]any{"a": 1}, "array of numbers": []any{1, 2}, "boolean": true}
				for label, v := range badValues("string") {
					if v != nil {
						values[label] = *v
					}
				}
				for label, v := range values {
					path, q, _ := baseline()
					var body any
					_ = json.Unmarshal([]byte(bodyText), &body)
					setPath(body, p, v)
					b, _ := json.Marshal(body)
					send(fmt.Sprintf("body %v=%s", p, label), path, q, b)
				}
			}
			for label, raw := range map[string]string{"not JSON": "{\"name\": ", "array": "[1,2]", "string": `"x"`, "empty": "", "unknown member": `{"nope": 1}`} {
				path, q, _ := baseline()
				send("body "+label, path, q, []byte(raw))
			}
		})
	}
	t.Logf("%d requests", total)
}
