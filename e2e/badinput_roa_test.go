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
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/sluicetest"
)

// roaInputs are, per MaxCompute 2022-01-04 operation Sluice serves (roa.Routes), the query parameters the
// generated client (maxcompute-20220104) sends and a valid JSON body; every leaf and every member of the
// body is mutated in turn.
var roaInputs = map[string]struct {
	query []string
	body  string
}{
	"CreateProject": {body: `{"name":"bad_new","comment":"c","defaultQuota":"q","productType":"PayAsYouGo","typeSystem":"2","properties":{"timezone":"Asia/Shanghai","allowFullScan":true}}`},
	"ListProjects":  {query: []string{"marker", "maxItem", "prefix", "quotaNickName", "quotaName", "region", "tenantId", "saleTags", "type", "listSystemCatalog"}},
	"GetProject":    {query: []string{"verbose", "withQuotaProductType", "withStorageTierInfo"}},
	"DeleteProject": {query: []string{"isLogical", "immediately"}},
	"ListTables":    {query: []string{"marker", "maxItem", "prefix", "schemaName", "type", "extended"}},
	"GetTableInfo":  {query: []string{"schemaName", "type"}},
	"ListFunctions": {query: []string{"marker", "maxItem", "prefix", "schemaName"}},
	"ListResources": {query: []string{"marker", "maxItem", "name", "schemaName"}},
	"ListPackages":  {},
	"GetPackage":    {query: []string{"sourceProject"}},
	"CreatePackage": {query: []string{"isInstall"}, body: `{"name":"pkg2","resourceList":{"table":[{"name":"t1","actions":["describe","select"]}]}}`},
	"UpdatePackage": {body: `{"add":{"allowedProjectList":[{"project":"bad_roa_b","label":"1"}],"resourceList":{"table":[{"name":"t2","actions":["describe"]}]}}}`},
}

// jsonPaths returns the paths of every member and array element of v (arrays: their first element).
func jsonPaths(v any, prefix []any) [][]any {
	var out [][]any
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := append(slices.Clone(prefix), k)
			out = append(out, p)
			out = append(out, jsonPaths(c, p)...)
		}
	case []any:
		if len(x) > 0 {
			p := append(slices.Clone(prefix), 0)
			out = append(out, p)
			out = append(out, jsonPaths(x[0], p)...)
		}
	}
	return out
}

// setPath sets (or, for missingField, deletes) the value at path in v.
func setPath(v any, path []any, val any) {
	for i, step := range path {
		last := i == len(path)-1
		switch k := step.(type) {
		case string:
			m := v.(map[string]any)
			if last {
				if _, ok := val.(missingField); ok {
					delete(m, k)
				} else {
					m[k] = val
				}
				return
			}
			v = m[k]
		case int:
			a := v.([]any)
			if last {
				if _, ok := val.(missingField); ok {
					a[k] = nil
				} else {
					a[k] = val
				}
				return
			}
			v = a[k]
		}
	}
}

// TestBadInputROA sends, for every query parameter and every member of the JSON body of every MaxCompute
// operation Sluice serves, each bad value on top of an otherwise valid request. Every answer is a success or
// the MaxCompute error envelope, never a 5xx, and a refused request changes nothing.
func TestBadInputROA(t *testing.T) {
	if testing.Short() {
		t.Skip("many requests")
	}
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	srv := sluicetest.NewServer(t)
	ctx := context.Background()
	for _, p := range []string{"bad_roa", "bad_roa_b"} {
		if _, err := srv.Client().CreateProject(ctx, p, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Client().RunSQL(ctx, "bad_roa", "CREATE TABLE t1 (a BIGINT); CREATE TABLE t2 (b STRING); CREATE PACKAGE pkg1;"); err != nil {
		t.Fatal(err)
	}
	digest := dbDigest(t, filepath.Join(srv.Server.Config.DataDir, "sluice.db"))
	before := digest()
	pathValues := map[string]string{"projectName": "bad_roa", "tableName": "t1", "packageName": "pkg1"}
	queryValues := map[string]string{"maxItem": "10", "schemaName": "default", "sourceProject": "bad_roa", "isInstall": "false"}
	total := 0
	for _, rt := range roa.Routes() {
		in, ok := roaInputs[rt.Action]
		if !ok {
			t.Errorf("%s is served but has no inputs here: add it to roaInputs", rt.Action)
			continue
		}
		send := func(what string, path map[string]string, q url.Values, body []byte) {
			t.Helper()
			u := rt.Pattern
			for k, v := range path {
				u = strings.Replace(u, "{"+k+"}", url.PathEscape(v), 1)
			}
			r, _ := http.NewRequest(rt.Method, srv.URL+u+"?"+q.Encode(), bytes.NewReader(body))
			r.Header.Set("x-acs-action", rt.Action)
			r.Header.Set("x-acs-version", "2022-01-04")
			if body != nil {
				r.Header.Set("content-type", "application/json; charset=utf-8")
			}
			auth.SignACS3(r, body, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
			res, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatalf("%s %s: %v", rt.Action, what, err)
			}
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			total++
			switch {
			case res.StatusCode >= 500:
				t.Fatalf("%s %s: %d %s", rt.Action, what, res.StatusCode, trim(out))
			case res.StatusCode < 400:
				before = digest()
			default:
				var env struct {
					RequestID string `json:"requestId"`
					Code      string `json:"errorCode"`
					Msg       string `json:"errorMsg"`
				}
				if err := json.Unmarshal(out, &env); err != nil || env.Code == "" || env.Msg == "" || env.RequestID == "" {
					t.Fatalf("%s %s: %d without the MaxCompute error envelope: %s", rt.Action, what, res.StatusCode, trim(out))
				}
				if after := digest(); after != before {
					t.Fatalf("%s %s: refused with %s, but the database changed", rt.Action, what, env.Code)
				}
			}
		}
		baseline := func() (map[string]string, url.Values, any) {
			q := url.Values{}
			for _, n := range in.query {
				if v, ok := queryValues[n]; ok {
					q.Set(n, v)
				}
			}
			var body any
			if in.body != "" {
				if err := json.Unmarshal([]byte(in.body), &body); err != nil {
					t.Fatal(err)
				}
			}
			return maps.Clone(pathValues), q, body
		}
		encode := func(body any) []byte {
			if body == nil {
				return nil
			}
			b, _ := json.Marshal(body)
			return b
		}
		for name := range pathValues {
			if !strings.Contains(rt.Pattern, "{"+name+"}") {
				continue
			}
			for label, v := range badValues("string") {
				if v == nil || *v == "" || strings.ContainsAny(*v, "/\x00") || len(*v) > 1<<16 {
					continue // a path segment cannot be missing, empty, hold '/' or NUL, or exceed a URL's size
				}
				path, q, body := baseline()
				path[name] = *v
				send(fmt.Sprintf("path %s=%s", name, label), path, q, encode(body))
			}
		}
		for _, n := range in.query {
			for label, v := range badValues("string") {
				if v != nil && len(*v) > 1<<16 {
					continue // a 1 MB query string exceeds what the HTTP server reads of a request's head
				}
				path, q, body := baseline()
				if v == nil {
					q.Del(n)
				} else {
					q.Set(n, *v)
				}
				send(fmt.Sprintf("query %s=%s", n, label), path, q, encode(body))
			}
		}
		if in.body == "" {
			continue
		}
		_, _, sample := baseline()
		for _, p := range jsonPaths(sample, nil) {
			values := map[string]any{"missing": missingField{}, "null": nil, "number": -1, "huge number": 1e300,
				"object": map[string]any{"a": 1}, "array of numbers": []any{1, 2}, "boolean": true}
			for label, v := range badValues("string") {
				if v != nil {
					values[label] = *v
				}
			}
			for label, v := range values {
				path, q, body := baseline()
				setPath(body, p, v)
				send(fmt.Sprintf("body %v=%s", p, label), path, q, encode(body))
			}
		}
		// Not JSON at all, and a body that is JSON of another shape.
		for label, raw := range map[string]string{"not JSON": "{\"name\": ", "array": "[1,2]", "string": `"x"`, "empty": ""} {
			path, q, _ := baseline()
			send("body "+label, path, q, []byte(raw))
		}
	}
	t.Logf("%d requests", total)
}
