package e2e

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/internal/badinput"
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
			srv := newServer(t)
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
			op := badinput.Operation{Base: badinput.Request{Path: map[string]string{}, Query: map[string]string{}}}
			for name, v := range pathValues {
				if strings.Contains(pattern, "{"+name+"}") {
					op.Base.Path[name] = v
				}
			}
			if method == http.MethodGet {
				op.Query, op.Base.Query = nativeQuery, maps.Clone(queryValues)
			}
			if bodyText, ok := nativeBodies[route]; ok {
				op.JSONBody, op.Base.Body = bodyText, []byte(bodyText)
			} else if method == http.MethodPut && strings.HasSuffix(pattern, "/resources/{name}") {
				op.Base.Body = []byte("raw bytes") // the upload streams raw bytes, not JSON
			}
			send := func(r badinput.Request) (int, []byte) {
				return sendNative(t, srv.URL, srv.AccessKeyID, srv.AccessKeySecret, route, r)
			}
			digest := dbDigest(t, srv)
			total += badinput.Run(t, route, op, send, badinput.JSONEnvelope("code", "message", "requestId"), digest)
		})
	}
	t.Logf("%d requests", total)
}

// sendNative sends r to the native operation route ("METHOD pattern") at base, signed with ACS3 by the key
// id and secret, and returns the status and the body.
func sendNative(t *testing.T, base, id, secret, route string, r badinput.Request) (int, []byte) {
	t.Helper()
	method, pattern, _ := strings.Cut(route, " ")
	hr, _ := http.NewRequest(method, r.URL(base, pattern), bytes.NewReader(r.Body))
	hr.Header.Set("x-acs-action", "Any")
	hr.Header.Set("x-acs-version", native.Version)
	if r.Body != nil {
		hr.Header.Set("content-type", "application/json; charset=utf-8")
	}
	auth.SignACS3(hr, r.Body, id, secret, time.Now(), "")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s: %v", route, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}
