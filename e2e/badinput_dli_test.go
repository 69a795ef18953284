package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	huaweiauth "github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/sluicetest"
)

// dliRequests are the SDK's request types of the DLI operations Sluice serves (dli.Routes), by operation:
// their fields are every path, query, header and body parameter a client sends.
var dliRequests = map[string]any{
	"ListJobResources": model.ListJobResourcesRequest{}, "UploadJobResources": model.UploadJobResourcesRequest{},
	"UploadJarJobResources": model.UploadJarJobResourcesRequest{}, "UploadPythonFileJobResources": model.UploadPythonFileJobResourcesRequest{},
	"UploadFileJobResources": model.UploadFileJobResourcesRequest{}, "UpdateJobResourceOwner": model.UpdateJobResourceOwnerRequest{},
	"ShowJobResource": model.ShowJobResourceRequest{}, "DeleteJobResource": model.DeleteJobResourceRequest{},
	"BatchCreateResourceTags": model.BatchCreateResourceTagsRequest{}, "BatchDeleteResourceTags": model.BatchDeleteResourceTagsRequest{},
	"ShowResourceTags": model.ShowResourceTagsRequest{}, "ListResourcesTags": model.ListResourcesTagsRequest{},
	"ListResourcesByTags": model.ListResourcesByTagsRequest{}, "CountResourcesByTags": model.CountResourcesByTagsRequest{},
}

// jsonName is a field's wire name from its json tag.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// TestBadInputDLI sends, for every parameter of every DLI operation Sluice serves — path, query, header and
// every field of the JSON body — each bad value (badValues, and JSON of the wrong type for body fields), on
// top of an otherwise valid request. Every answer must be DLI's error envelope or a success, never a 5xx,
// and a refused request changes nothing.
func TestBadInputDLI(t *testing.T) {
	if testing.Short() {
		t.Skip("many requests")
	}
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	srv := sluicetest.NewServer(t)
	ctx := context.Background()
	p, err := srv.Client().CreateProject(ctx, "bad_dli", "", "")
	if err != nil {
		t.Fatal(err)
	}
	jar := "PK jar bytes"
	if _, err := srv.Client().UploadResource(ctx, "bad_dli", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
		t.Fatal(err)
	}
	digest := dbDigest(t, filepath.Join(srv.Server.Config.DataDir, "sluice.db"))
	before := digest()
	valid := map[string]string{"project_id": p.UUID, "resource_name": "r1.jar", "group": "g1", "kind": "jar",
		"resource_type": "dli_package_resource", "resource_id": "g1/r1.jar", "new_owner": "root", "limit": "10", "offset": "0"}
	validBody := map[string]any{"paths": []string{"obs://bucket/x.jar"}, "kind": "jar", "group": "g2", "is_async": false,
		"resource_name": "r1.jar", "new_owner": "root", "tags": []map[string]string{{"key": "k", "value": "v"}},
		"action": "create", "matches": []map[string]string{{"key": "resource_name", "value": "r1"}}}
	total := 0
	for _, rt := range dli.Routes() {
		req, ok := dliRequests[rt.Name]
		if !ok {
			t.Errorf("%s is served but has no SDK request type here: add it to dliRequests", rt.Name)
			continue
		}
		send := func(what string, path map[string]string, query url.Values, header http.Header, body map[string]any) {
			t.Helper()
			u := rt.Pattern
			for k, v := range path {
				u = strings.Replace(u, "{"+k+"...}", url.PathEscape(v), 1)
				u = strings.Replace(u, "{"+k+"}", url.PathEscape(v), 1)
			}
			var b []byte
			if body != nil {
				b, _ = json.Marshal(body)
			}
			r, _ := http.NewRequest(rt.Method, srv.URL+u+"?"+query.Encode(), bytes.NewReader(b))
			r.Header = header
			if body != nil {
				r.Header.Set("Content-Type", "application/json")
			}
			huaweiauth.Sign(r, b, srv.AccessKeyID, srv.AccessKeySecret, time.Now())
			res, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatalf("%s %s: %v", rt.Name, what, err)
			}
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			total++
			switch {
			case res.StatusCode >= 500:
				t.Fatalf("%s %s: %d %s", rt.Name, what, res.StatusCode, trim(out))
			case res.StatusCode < 400:
				before = digest()
			default:
				var env struct {
					Code string `json:"error_code"`
					Msg  string `json:"error_msg"`
				}
				if err := json.Unmarshal(out, &env); err != nil || env.Code == "" || env.Msg == "" {
					t.Fatalf("%s %s: %d without DLI's error envelope: %s", rt.Name, what, res.StatusCode, trim(out))
				}
				if after := digest(); after != before {
					t.Fatalf("%s %s: refused with %s, but the database changed", rt.Name, what, env.Code)
				}
			}
		}
		// The request's parameters, by where they go.
		var pathNames, queryNames, headerNames, bodyNames []string
		rtype := reflect.TypeOf(req)
		for i := range rtype.NumField() {
			f := rtype.Field(i)
			name := jsonName(f)
			switch {
			case f.Name == "Body":
				bt := f.Type.Elem()
				for j := range bt.NumField() {
					bodyNames = append(bodyNames, jsonName(bt.Field(j)))
				}
			case strings.Contains(rt.Pattern, "{"+name+"}") || strings.Contains(rt.Pattern, "{"+name+"...}"):
				pathNames = append(pathNames, name)
			case strings.ToUpper(name) == name:
				headerNames = append(headerNames, name)
			default:
				queryNames = append(queryNames, name)
			}
		}
		if !strings.Contains(rt.Pattern, "{project_id}") {
			t.Fatalf("%s: pattern %s", rt.Name, rt.Pattern)
		}
		pathNames = append(pathNames, "project_id")
		baseline := func() (map[string]string, url.Values, http.Header, map[string]any) {
			path := map[string]string{}
			for _, n := range pathNames {
				path[n] = valid[n]
			}
			q := url.Values{}
			for _, n := range queryNames {
				if v, ok := valid[n]; ok {
					q.Set(n, v)
				}
			}
			var body map[string]any
			if len(bodyNames) > 0 {
				body = map[string]any{}
				for _, n := range bodyNames {
					if v, ok := validBody[n]; ok {
						body[n] = v
					}
				}
			}
			return path, q, http.Header{}, body
		}
		for _, n := range pathNames {
			for label, v := range badValues("string") {
				if v == nil || *v == "" || strings.ContainsAny(*v, "/\x00") || len(*v) > 1<<16 {
					continue // a path segment cannot be missing, empty, hold '/' or NUL, or exceed a URL's size
				}
				path, q, h, body := baseline()
				path[n] = *v
				send(fmt.Sprintf("path %s=%s", n, label), path, q, h, body)
			}
		}
		for _, n := range queryNames {
			for label, v := range badValues("string") {
				if v != nil && len(*v) > 1<<16 {
					continue // a 1 MB query string exceeds what the HTTP server reads of a request's head
				}
				path, q, h, body := baseline()
				if v == nil {
					q.Del(n)
				} else {
					q.Set(n, *v)
				}
				send(fmt.Sprintf("query %s=%s", n, label), path, q, h, body)
			}
		}
		for _, n := range headerNames {
			for label, v := range badValues("string") {
				if v == nil || strings.ContainsAny(*v, "\x00\x01\r\n") || len(*v) > 1<<16 {
					continue // not a header value HTTP can carry
				}
				path, q, h, body := baseline()
				h.Set(n, *v)
				send(fmt.Sprintf("header %s=%s", n, label), path, q, h, body)
			}
		}
		for _, n := range bodyNames {
			values := map[string]any{"null": nil, "number": -1, "huge number": 1e300, "object": map[string]any{"a": 1},
				"array of numbers": []int{1, 2}, "boolean": true}
			for label, v := range badValues("string") {
				if v != nil {
					values[label] = *v
				}
			}
			values["missing"] = missingField{}
			for label, v := range values {
				path, q, h, body := baseline()
				if _, ok := v.(missingField); ok {
					delete(body, n)
				} else {
					body[n] = v
				}
				send(fmt.Sprintf("body %s=%s", n, label), path, q, h, body)
			}
		}
	}
	t.Logf("%d requests", total)
}

type missingField struct{}
