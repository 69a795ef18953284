package roa_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// seedBodies are valid bodies of the ROA operations that take one; the others are seeded with none.
var seedBodies = map[string]string{
	"CreateProject": `{"name":"fuzz_q","comment":"c","productType":"payasyougo","defaultQuota":"os_PayAsYouGoQuota","properties":{"typeSystem":"2"}}`,
	"CreatePackage": `{"name":"pkg2","resourceList":{"table":[{"name":"t1","actions":["Describe","Select"]}],"resource":[],"function":[]}}`,
	"UpdatePackage": `{"add":{"allowedProjectList":[{"project":"fuzz_q","label":null}]},"remove":{"allowedProjectList":[]}}`,
}

// seedQueries are query strings each operation reads.
var seedQueries = map[string]string{
	"ListProjects":  "maxItem=10&marker=&prefix=f&type=managed&listSystemCatalog=false",
	"GetProject":    "verbose=true&withQuotaProductType=true&withStorageTierInfo=true",
	"ListTables":    "type=internal&schemaName=default&prefix=t&maxItem=5&marker=",
	"GetTableInfo":  "type=managed_table&schemaName=default&isLogical=false",
	"ListFunctions": "prefix=f&schemaName=default&maxItem=5",
	"ListPackages":  "sourceProject=fuzz_p",
	"CreatePackage": "isInstall=false",
	"ListResources": "name=r&maxItem=5",
}

// fixture makes the project the seeds name, with a table and a package, unless it exists (a fuzzed request
// may have deleted it).
func fixture(tb testing.TB, c *native.Client) {
	ctx := context.Background()
	if _, err := c.GetProject(ctx, "fuzz_p"); err == nil {
		return
	}
	if _, err := c.CreateProject(ctx, "fuzz_p", "", ""); err != nil {
		tb.Fatal(err)
	}
	if _, err := c.RunSQL(ctx, "fuzz_p", "CREATE TABLE t1 (a BIGINT, b STRING); CREATE PACKAGE pkg1; ADD TABLE t1 TO PACKAGE pkg1;"); err != nil {
		tb.Fatal(err)
	}
}

// FuzzServe sends requests to every ROA route of a real server (the core over SQLite, in this process):
// arbitrary path values, queries and bodies, signed with ACS3 or the legacy "acs" scheme, or not at all,
// on the route's method or another. It checks the face never answers a 5xx or panics; every answer is one
// JSON object carrying the request id sent in x-acs-request-id; a success has data; a refusal is the
// MaxCompute envelope with every code field set and httpCode equal to the status (the fields both SDKs
// read); an unsigned request is refused.
//
// how: bits 0-1 sign with ACS3, the legacy scheme, not at all, or ACS3 on another method; bit 2 sends a
// non-empty body without a JSON Content-Type.
func FuzzServe(f *testing.F) {
	srv := sluicetest.NewServer(f)
	fixture(f, srv.Client())
	h := srv.Server.Handler()
	routes := roa.Routes()
	for i, rt := range routes {
		second := "t1"
		if strings.Contains(rt.Pattern, "{packageName}") {
			second = "pkg1"
		}
		for _, how := range []uint8{0, 1} {
			f.Add(uint8(i), "fuzz_p", second, seedQueries[rt.Action], seedBodies[rt.Action], how)
		}
	}
	f.Add(uint8(0), "a/b", "%zz", "a=%zz&;", "{", uint8(2))
	f.Add(uint8(1), "fuzz_p", "", "", `{"name":"x"}x`, uint8(3))
	f.Fuzz(func(t *testing.T, ri uint8, project, name, rawQuery, body string, how uint8) {
		rt := routes[int(ri)%len(routes)]
		p := strings.Replace(rt.Pattern, "{projectName}", url.PathEscape(project), 1)
		p = strings.Replace(p, "{tableName}", url.PathEscape(name), 1)
		p = strings.Replace(p, "{packageName}", url.PathEscape(name), 1)
		method := rt.Method
		if how&3 == 3 {
			method = map[string]string{"GET": "PUT", "POST": "GET", "PUT": "DELETE", "DELETE": "POST"}[method]
		}
		q, _ := url.ParseQuery(rawQuery)
		target := p + "?" + q.Encode()
		r := httptest.NewRequest(method, "http://"+srv.Endpoint+target, strings.NewReader(body))
		if body != "" && how&4 == 0 {
			r.Header.Set("Content-Type", "application/json")
		}
		switch how & 3 {
		case 0, 3:
			auth.SignACS3(r, []byte(body), srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
		case 1:
			auth.SignROA(r, []byte(body), srv.AccessKeyID, srv.AccessKeySecret, time.Now(), "")
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
		if how&3 == 2 && status < 400 {
			t.Fatalf("%s: an unsigned request was served: %s", where, out)
		}
		if status == 200 && method == "DELETE" {
			fixture(t, srv.Client())
		}
		id := w.Header().Get("x-acs-request-id")
		var e struct {
			RequestID        string `json:"requestId"`
			HTTPCode         int    `json:"httpCode"`
			ErrorCode        string `json:"errorCode"`
			ErrorMsg         string `json:"errorMsg"`
			Code             string `json:"code"`
			Message          string `json:"message"`
			GatewayRequestID string `json:"RequestId"`
			GatewayCode      string `json:"Code"`
			GatewayMessage   string `json:"Message"`
		}
		var fields map[string]json.RawMessage
		if !json.Valid(out) || !bytes.HasPrefix(out, []byte("{")) || json.Unmarshal(out, &e) != nil || json.Unmarshal(out, &fields) != nil {
			t.Fatalf("%s: status %d, body is not one JSON object: %s", where, status, out)
		}
		if id == "" || e.RequestID != id {
			t.Fatalf("%s: requestId %q, header %q", where, e.RequestID, id)
		}
		if status < 400 {
			if _, ok := fields["data"]; !ok {
				t.Fatalf("%s: success without data: %s", where, out)
			}
			return
		}
		if e.HTTPCode != status || e.ErrorCode == "" || e.ErrorMsg == "" || e.Code != e.ErrorCode || e.Message == "" ||
			e.GatewayCode != e.ErrorCode || e.GatewayMessage == "" || e.GatewayRequestID != id {
			t.Fatalf("%s: status %d, error body %s", where, status, out)
		}
	})
}
