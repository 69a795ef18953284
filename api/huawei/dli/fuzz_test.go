package dli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
)

// FuzzServe sends correctly signed requests with arbitrary methods, paths, queries and bodies to the face
// (over the in-memory fake) and checks every answer is well formed: a known status, and for an error
// Huawei's envelope with both fields, which the SDK needs to report it.
func FuzzServe(f *testing.F) {
	f.Add(uint8(1), "resources", "", `{"paths":["obs://b/a.jar"],"kind":"jar","group":"g1","is_async":"true","tags":[{"key":"k","value":"v"}]}`)
	f.Add(uint8(0), "resources", "kind=pyfile&tags=a%3Db,c=d", "")
	f.Add(uint8(1), "resources/jars", "", `{"paths":["obs://b/a.jar"],"group":"g1"}`)
	f.Add(uint8(2), "resources/owner", "", `{"new_owner":"bob_1","group_name":"g1","resource_name":"a.jar"}`)
	f.Add(uint8(3), "resources/a.jar", "group=g1", "")
	f.Add(uint8(1), "../v3/x/dli_package_resource/g1/a.jar/tags/create", "", `{"tags":[{"key":"k","value":"v"}]}`)
	f.Add(uint8(1), "../v3/x/dli_package_resource/resource-instances/filter", "limit=5&offset=1", `{"tags":[{"key":"k","values":[]}],"matches":[{"key":"resource_name","value":"a"}]}`)
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
	fake := newFake()
	keys := fakeKeys{"AKALICE": testKeys["AKALICE"]}
	face := dli.New(fake, auth.NewAuthenticator(keys, &memNonces{seen: map[string]time.Time{}}))
	f.Fuzz(func(t *testing.T, m uint8, rest, rawQuery, body string) {
		target := "/v2.0/" + projectUUID + "/" + rest
		if rawQuery != "" {
			target += "?" + rawQuery
		}
		if strings.ContainsAny(target, " #\x00\r\n\t") || strings.Contains(target, "..") && !strings.HasPrefix(rest, "../v3/") {
			return
		}
		target = strings.Replace(target, "/v2.0/"+projectUUID+"/../v3/x/", "/v3/"+projectUUID+"/", 1)
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
		auth.Sign(r, []byte(body), "AKALICE", keys["AKALICE"].secret, time.Now())
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
		default:
			t.Fatalf("%s %s %q: status %d %s", r.Method, target, body, w.Code, w.Body)
		}
	})
}
