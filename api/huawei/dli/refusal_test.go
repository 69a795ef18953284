package dli_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/sluice-dev/sluice"
)

// rawRequest is one request signed with the SDK's own signer, for what the typed client cannot send.
type rawRequest struct {
	method  string
	path    string
	query   map[string]string
	headers map[string]string
	body    string // sent as it is; "" sends none
	ak, sk  string // default: alice's key
	date    time.Time
	project string // X-Project-Id; default: the uuid
}

type answer struct {
	status    int
	header    http.Header
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
	raw       string
}

// send signs r with the SDK's signer and sends it. Sending the same rawRequest twice within a second
// sends byte-identical requests (the replay test relies on it).
func (e *env) send(t *testing.T, r rawRequest) answer {
	t.Helper()
	if r.ak == "" {
		r.ak, r.sk = "AKALICE", testKeys["AKALICE"].secret
	}
	if r.date.IsZero() {
		r.date = time.Now()
	}
	if r.project == "" {
		r.project = projectUUID
	}
	b := request.NewHttpRequestBuilder().WithMethod(r.method).WithEndpoint(e.url).WithPath(r.path)
	for k, v := range r.query {
		b.AddQueryParam(k, reflect.ValueOf(v))
	}
	b.AddHeaderParam("Content-Type", "application/json").AddHeaderParam("User-Agent", "sluice-test/1.0").
		AddHeaderParam("X-Project-Id", r.project).AddHeaderParam("X-Sdk-Date", r.date.UTC().Format("20060102T150405Z"))
	for k, v := range r.headers {
		b.AddHeaderParam(k, v)
	}
	if r.body != "" {
		b.WithBody("body", r.body)
	}
	req := b.Build()
	added, err := signer.Sign(req, r.ak, r.sk)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range added {
		req.AddHeaderParam(k, v)
	}
	hr, err := req.ConvertRequest()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	if len(data) > 0 {
		if err := json.Unmarshal(data, &a); err != nil {
			t.Fatalf("answer is not JSON: %q", data)
		}
	}
	return a
}

// refused asserts a Huawei error envelope with status and code, and returns the message.
func (a answer) refused(t *testing.T, status int, code string) string {
	t.Helper()
	if a.status != status || a.ErrorCode != code || a.ErrorMsg == "" {
		t.Fatalf("answer %d %s, want %d %s", a.status, a.raw, status, code)
	}
	if id := a.header.Get("X-Request-Id"); id == "" || id != a.RequestID {
		t.Fatalf("X-Request-Id %q, request_id %q", id, a.RequestID)
	}
	if a.header.Get("x-acs-request-id") != "" {
		t.Fatal("the Huawei face sent Alibaba's request-id header")
	}
	if !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("Content-Type %q", a.header.Get("Content-Type"))
	}
	return a.ErrorMsg
}

const resources = "/v2.0/" + projectUUID + "/resources"

func upload(body string) rawRequest { return rawRequest{method: "POST", path: resources, body: body} }

// TestRefusals: every refusal is Huawei's envelope with a clear code and a 4xx status, and reaches
// nothing in the service that changes data.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	good := `{"paths":["obs://bkt/a.jar"],"kind":"jar","group":"g1"}`
	if a := e.send(t, upload(good)); a.status != 201 {
		t.Fatalf("the good upload: %d %s", a.status, a.raw)
	}
	e.fake.Calls()

	cases := []struct {
		name   string
		req    rawRequest
		status int
		code   string
		msg    string   // part of error_msg
		calls  []string // the service methods reached
	}{
		// Authentication (api/huawei/auth): the gateway's 401 APIGW.0301.
		{"bad signature", rawRequest{method: "POST", path: resources, body: good, ak: "AKALICE", sk: "wrong"}, 401, "APIGW.0301", "verify aksk signature fail", nil},
		{"stale date", rawRequest{method: "GET", path: resources, date: time.Now().Add(-20 * time.Minute)}, 401, "APIGW.0301", "X-Sdk-Date", nil},
		{"future date", rawRequest{method: "GET", path: resources, date: time.Now().Add(20 * time.Minute)}, 401, "APIGW.0301", "X-Sdk-Date", nil},
		{"unknown key", rawRequest{method: "GET", path: resources, ak: "AKNOBODY", sk: "x"}, 401, "APIGW.0301", "ak not exist", nil},
		{"disabled key", rawRequest{method: "GET", path: resources, ak: "AKDISABLED", sk: testKeys["AKDISABLED"].secret}, 401, "APIGW.0301", "disabled", nil},
		{"unsigned body", rawRequest{method: "POST", path: resources, body: good, headers: map[string]string{"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}}, 401, "APIGW.0301", "UNSIGNED-PAYLOAD", nil},
		// Where and who.
		{"unknown API", rawRequest{method: "PATCH", path: resources}, 404, "APIGW.0101", "does not exist", nil},
		{"unknown version path", rawRequest{method: "GET", path: "/v2.0/" + projectUUID + "/queues"}, 404, "APIGW.0101", "does not exist", nil},
		{"unknown project", rawRequest{method: "GET", path: "/v2.0/ffffffffffffffffffffffffffffffff/resources", project: "ffffffffffffffffffffffffffffffff"}, 404, "DLI.0002", "does not exist", []string{"FindResources"}},
		{"X-Project-Id differs", rawRequest{method: "GET", path: resources, project: projectName}, 400, "DLI.0001", "X-Project-Id", nil},
		{"non-member reads", rawRequest{method: "GET", path: resources, ak: "AKSTRANGER", sk: testKeys["AKSTRANGER"].secret}, 400, "DLI.0003", "not a member", []string{"FindResources"}},
		{"viewer uploads", rawRequest{method: "POST", path: resources, body: good, ak: "AKVIEWER", sk: testKeys["AKVIEWER"].secret}, 400, "DLI.0003", "may only read", []string{"UploadResources"}},
		{"viewer deletes", rawRequest{method: "DELETE", path: resources + "/a.jar", query: map[string]string{"group": "g1"}, ak: "AKVIEWER", sk: testKeys["AKVIEWER"].secret}, 400, "DLI.0003", "may only read", []string{"DeleteResource"}},
		// Parameters.
		{"empty kind", upload(`{"paths":["obs://bkt/a.jar"],"kind":"","group":"g1"}`), 400, "DLI.0001", "kind is mandatory", nil},
		{"no kind", upload(`{"paths":["obs://bkt/a.jar"],"group":"g1"}`), 400, "DLI.0001", "kind is mandatory", nil},
		{"invalid kind", upload(`{"paths":["obs://bkt/a.jar"],"kind":"war","group":"g1"}`), 400, "DLI.0001", "jar, pyFile, file or modelFile", nil},
		{"invalid kind filter", rawRequest{method: "GET", path: resources, query: map[string]string{"kind": "egg"}}, 400, "DLI.0001", "kind", nil},
		{"bad tags filter", rawRequest{method: "GET", path: resources, query: map[string]string{"tags": "env"}}, 400, "DLI.0001", "key=value", nil},
		{"SDK's empty body", upload(`{"paths":null,"kind":"","group":""}` + "\n"), 400, "DLI.0001", "mandatory", nil},
		{"no paths", upload(`{"paths":[],"kind":"jar","group":"g1"}`), 400, "DLI.0001", "paths is mandatory", nil},
		{"no group", upload(`{"paths":["obs://bkt/a.jar"],"kind":"jar","group":""}`), 400, "DLI.0001", "group is mandatory", nil},
		{"name refused by the service", upload(`{"paths":["obs://bkt/.a.jar"],"kind":"jar","group":"g1"}`), 400, "DLI.0001", "period", []string{"UploadResources"}},
		{"is_async a number", upload(`{"paths":["obs://bkt/a.jar"],"kind":"jar","group":"g1","is_async":3}`), 400, "DLI.0001", "is_async", nil},
		{"paths a string", upload(`{"paths":"obs://bkt/a.jar","kind":"jar","group":"g1"}`), 400, "DLI.0001", "paths of the request body must be a JSON array", nil},
		{"not JSON", upload(`paths=a`), 400, "DLI.0001", "JSON object", nil},
		{"oversize body", upload(`{"paths":["` + strings.Repeat("x", 1<<20) + `"]}`), 413, "DLI.0001", "larger than", nil},
		{"owner without target", rawRequest{method: "PUT", path: resources + "/owner", body: `{"new_owner":"bob_1","group_name":""}`}, 400, "DLI.0001", "group_name, resource_name", nil},
		{"owner without new owner", rawRequest{method: "PUT", path: resources + "/owner", body: `{"new_owner":"","group_name":"g1"}`}, 400, "DLI.0001", "new_owner", nil},
		{"missing package", rawRequest{method: "GET", path: resources + "/nope.jar", query: map[string]string{"group": "g1"}}, 404, "DLI.0002", "does not exist", []string{"FindResource"}},
		{"grouped package without group", rawRequest{method: "DELETE", path: resources + "/a.jar"}, 404, "DLI.0002", "does not exist", []string{"DeleteResource"}},
		// Tags.
		{"tags of a queue", rawRequest{method: "GET", path: "/v3/" + projectUUID + "/dli_queue/q1/tags"}, 400, "DLI.0007", "dli_package_resource", nil},
		{"tag without tags", rawRequest{method: "POST", path: "/v3/" + projectUUID + "/dli_package_resource/g1/a.jar/tags/create", body: `{"tags":[]}`}, 400, "DLI.0001", "tags is mandatory", nil},
		{"tag a missing package", rawRequest{method: "POST", path: "/v3/" + projectUUID + "/dli_package_resource/g1/b.jar/tags/create", body: `{"tags":[{"key":"k","value":"v"}]}`}, 404, "DLI.0002", "does not exist", []string{"TagResource"}},
		{"filter limit 0", rawRequest{method: "POST", path: "/v3/" + projectUUID + "/dli_package_resource/resource-instances/filter", query: map[string]string{"limit": "0"}, body: `{}`}, 400, "DLI.0001", "limit", nil},
		{"filter limit too big", rawRequest{method: "POST", path: "/v3/" + projectUUID + "/dli_package_resource/resource-instances/filter", query: map[string]string{"limit": "1001"}, body: `{}`}, 400, "DLI.0001", "limit", nil},
		{"filter other match", rawRequest{method: "POST", path: "/v3/" + projectUUID + "/dli_package_resource/resource-instances/count", body: `{"matches":[{"key":"owner","value":"x"}]}`}, 400, "DLI.0001", "resource_name", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.fake.Calls() // a failed case before must not leak its calls into this one
			msg := e.send(t, c.req).refused(t, c.status, c.code)
			if !strings.Contains(msg, c.msg) {
				t.Errorf("error_msg %q does not say %q", msg, c.msg)
			}
			if calls := e.fake.Calls(); !slices.Equal(calls, c.calls) {
				t.Errorf("service calls %v, want %v", calls, c.calls)
			}
		})
	}

	t.Run("replay", func(t *testing.T) {
		del := rawRequest{method: "DELETE", path: resources + "/a.jar", query: map[string]string{"group": "g1"}, date: time.Now()}
		if a := e.send(t, del); a.status != 200 || a.raw != "" {
			t.Fatalf("delete: %d %q", a.status, a.raw)
		}
		e.send(t, del).refused(t, 401, "APIGW.0301")
		if calls := e.fake.Calls(); !slices.Equal(calls, []string{"DeleteResource"}) {
			t.Errorf("service calls %v: the replay reached the service", calls)
		}
	})

	t.Run("internal error", func(t *testing.T) {
		e.fake.FindResourcesFn = func(ctx context.Context, p sluice.ProjectRef, f sluice.ResourceFilter) (*sluice.ResourceListing, error) {
			return nil, errors.New("database is down: secret detail")
		}
		msg := e.send(t, rawRequest{method: "GET", path: resources}).refused(t, 500, "DLI.0999")
		if strings.Contains(msg, "secret detail") {
			t.Errorf("the cause reached the caller: %q", msg)
		}
	})
}

// TestLenientIsAsync: is_async as the doc's strings "true" / "false" (dli-resources.md §6 #1), and kind
// in any letter case, stored camelCase.
func TestLenientIsAsync(t *testing.T) {
	e := newEnv(t)
	var seen []sluice.ResourceUpload
	mem := e.fake.UploadResourcesFn
	e.fake.UploadResourcesFn = func(ctx context.Context, p sluice.ProjectRef, u sluice.ResourceUpload) (*sluice.ResourceGroup, error) {
		seen = append(seen, u)
		return mem(ctx, p, u)
	}
	for _, v := range []string{`"true"`, `"false"`, `true`} {
		a := e.send(t, upload(`{"paths":["obs://bkt/a.jar"],"kind":"MODELFILE","group":"g1","is_async":`+v+`}`))
		if a.status != 201 {
			t.Fatalf("is_async %s: %d %s", v, a.status, a.raw)
		}
	}
	if len(seen) != 3 || !seen[0].Async || seen[1].Async || !seen[2].Async || seen[0].Kind != sluice.KindModelFile {
		t.Fatalf("uploads %+v", seen)
	}
}
