package dli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/sluicetest"
)

// FuzzServe sends correctly signed requests with arbitrary methods, paths, queries and bodies to the face
// (over the in-memory fake) and checks every answer is well formed: a known status, and for an error
// Huawei's envelope with both fields, which the SDK needs to report it.
func FuzzServe(f *testing.F) {
	fake := newFake()
	keys := fakeKeys{"AKALICE": testKeys["AKALICE"]}
	face := dli.New(fake, auth.NewAuthenticator(keys, &memNonces{seen: map[string]time.Time{}}))
	fuzzServe(f, face, "AKALICE", keys["AKALICE"].secret, projectUUID)
}

// FuzzServeCore is FuzzServe over the real core (SQLite, in this process), behind the whole server's
// handler, so that what the face decodes reaches the core's own checks and the store.
func FuzzServeCore(f *testing.F) {
	srv := sluicetest.NewServer(f)
	ctx := context.Background()
	p, err := srv.Client().CreateProject(ctx, "fuzz_p", "", "")
	if err != nil {
		f.Fatal(err)
	}
	jar := "PK jar bytes"
	if _, err := srv.Client().UploadResource(ctx, "fuzz_p", "g1", "jar", "a.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
		f.Fatal(err)
	}
	fuzzServe(f, srv.Server.Handler(), srv.AccessKeyID, srv.AccessKeySecret, p.UUID)
}

// fuzzServe runs the checks of FuzzServe on face, signing with the key ak, sk; projectID is the project the
// seeds name.
func fuzzServe(f *testing.F, face http.Handler, ak, sk, projectID string) {
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	// Every route of the table, with a valid body where it takes one.
	bodies := map[string]string{
		"UploadJobResources":           `{"paths":["obs://b/a.jar"],"kind":"jar","group":"g1"}`,
		"UploadJarJobResources":        `{"paths":["obs://b/a.jar"],"group":"g1"}`,
		"UploadPythonFileJobResources": `{"paths":["obs://b/a.py"],"group":"g1"}`,
		"UploadFileJobResources":       `{"paths":["obs://b/a.txt"],"group":"g1"}`,
		"UpdateJobResourceOwner":       `{"new_owner":"bob_1","group_name":"g1","resource_name":"a.jar"}`,
		"BatchCreateResourceTags":      `{"tags":[{"key":"k","value":"v"}]}`,
		"BatchDeleteResourceTags":      `{"tags":[{"key":"k","value":"v"}]}`,
		"ListResourcesByTags":          `{"tags":[{"key":"k","values":["v"]}],"limit":"10","offset":"0"}`,
		"CountResourcesByTags":         `{"tags":[{"key":"k","values":["v"]}]}`,
	}
	for _, rt := range dli.Routes() {
		rest := strings.NewReplacer("/v2.0/{project_id}/", "", "/v3/{project_id}/", "../v3/x/", "{resource_name}", "a.jar",
			"{resource_type}", "dli_package_resource", "{resource_id...}", "g1/a.jar").Replace(rt.Pattern)
		f.Add(uint8(slices.Index(methods, rt.Method)), rest, "group=g1", bodies[rt.Name])
	}
	f.Fuzz(func(t *testing.T, m uint8, rest, rawQuery, body string) {
		target := "/v2.0/" + projectID + "/" + rest
		if rawQuery != "" {
			target += "?" + rawQuery
		}
		if strings.ContainsAny(target, " #\x00\r\n\t") || strings.Contains(target, "..") && !strings.HasPrefix(rest, "../v3/") {
			return
		}
		target = strings.Replace(target, "/v2.0/"+projectID+"/../v3/x/", "/v3/"+projectID+"/", 1)
		var r *http.Request
		func() {
			defer func() {
				if recover() != nil {
					r = nil // httptest.NewRequest refuses what cannot be a request line
				}
			}()
			r = httptest.NewRequest(methods[int(m)%len(methods)], target, strings.NewReader(body))
		}()
		if r == nil {
			return
		}
		r.Header.Set("Content-Type", "application/json")
		auth.Sign(r, []byte(body), ak, sk, time.Now())
		w := httptest.NewRecorder()
		face.ServeHTTP(w, r)
		switch w.Code {
		case 200, 201, 204:
			if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s %s: success body is not JSON: %q", r.Method, target, w.Body)
			}
		case 400, 401, 404, 413:
			var e struct {
				Code string `json:"error_code"`
				Msg  string `json:"error_msg"`
			}
			if err := json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(&e); err != nil || e.Code == "" || e.Msg == "" {
				t.Fatalf("%s %s: error body %q", r.Method, target, w.Body)
			}
			if w.Header().Get("X-Request-Id") == "" {
				t.Fatalf("%s %s: no X-Request-Id", r.Method, target)
			}
		case 301, 307, 308:
			if path.Clean(r.URL.Path) == r.URL.Path {
				t.Fatalf("%s %s: redirected a clean path", r.Method, target)
			}
			// The server's mux sends a path with "." or ".." segments or "//" to its clean form.
		default:
			t.Fatalf("%s %s %q: status %d %s", r.Method, target, body, w.Code, w.Body)
		}
	})
}
