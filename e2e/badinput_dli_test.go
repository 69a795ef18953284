package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	huaweiauth "github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/internal/badinput"
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
// every field of the JSON body — each bad value (badinput.Values, and JSON of other types for body fields), on
// top of an otherwise valid request. Every answer must be DLI's error envelope or a success, never a 5xx,
// and a refused request changes nothing.
func TestBadInputDLI(t *testing.T) {
	if testing.Short() {
		t.Skip("many requests")
	}
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	srv := newServer(t)
	ctx := context.Background()
	p, err := srv.Client().CreateProject(ctx, "bad_dli", "", "")
	if err != nil {
		t.Fatal(err)
	}
	jar := "PK jar bytes"
	if _, err := srv.Client().UploadResource(ctx, "bad_dli", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
		t.Fatal(err)
	}
	digest := dbDigest(t, srv)
	valid := map[string]string{"project_id": p.UUID, "resource_name": "r1.jar", "group": "g1", "kind": "jar",
		"resource_type": "dli_package_resource", "resource_id": "g1/r1.jar", "new_owner": "root", "limit": "10", "offset": "0"}
	validBody := map[string]any{"paths": []string{"obs://bucket/x.jar"}, "kind": "jar", "group": "g2", "is_async": false,
		"resource_name": "r1.jar", "new_owner": "root", "tags": []map[string]string{{"key": "k", "value": "v"}},
		"action": "create", "matches": []map[string]string{{"key": "resource_name", "value": "r1"}}}
	env := badinput.JSONEnvelope("error_code", "error_msg", "")
	total := 0
	for _, rt := range dli.Routes() {
		req, ok := dliRequests[rt.Name]
		if !ok {
			t.Errorf("%s is served but has no SDK request type here: add it to dliRequests", rt.Name)
			continue
		}
		op := dliOperation(rt, req, valid, validBody)
		send := func(r badinput.Request) (int, []byte) {
			return sendDLI(t, srv.URL, srv.AccessKeyID, srv.AccessKeySecret, rt, r)
		}
		total += badinput.Run(t, rt.Name, op, send, env, digest)
	}
	t.Logf("%d requests", total)
}

// dliOperation is the operation rt with the parameters of its SDK request type req, by where they go: path
// and query values from valid, body members from validBody.
func dliOperation(rt dli.Route, req any, valid map[string]string, validBody map[string]any) badinput.Operation {
	op := badinput.Operation{Base: badinput.Request{Path: map[string]string{"project_id": valid["project_id"]}, Query: map[string]string{}}}
	var body map[string]any
	rtype := reflect.TypeOf(req)
	for i := range rtype.NumField() {
		f := rtype.Field(i)
		name := jsonName(f)
		switch {
		case f.Name == "Body":
			body = map[string]any{}
			bt := f.Type.Elem()
			for j := range bt.NumField() {
				if v, ok := validBody[jsonName(bt.Field(j))]; ok {
					body[jsonName(bt.Field(j))] = v
				}
			}
		case strings.Contains(rt.Pattern, "{"+name+"}") || strings.Contains(rt.Pattern, "{"+name+"...}"):
			op.Base.Path[name] = valid[name]
		case strings.ToUpper(name) == name:
			op.Header = append(op.Header, name)
		default:
			op.Query = append(op.Query, name)
			if v, ok := valid[name]; ok {
				op.Base.Query[name] = v
			}
		}
	}
	if body != nil {
		b, _ := json.Marshal(body)
		op.JSONBody, op.Base.Body = string(b), b
	}
	return op
}

// sendDLI sends r to the DLI operation rt at base, signed as the Huawei SDK signs by the key id and secret,
// and returns the status and the body.
func sendDLI(t *testing.T, base, id, secret string, rt dli.Route, r badinput.Request) (int, []byte) {
	t.Helper()
	hr, _ := http.NewRequest(rt.Method, r.URL(base, rt.Pattern), bytes.NewReader(r.Body))
	for k, v := range r.Header {
		hr.Header.Set(k, v)
	}
	if r.Body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	huaweiauth.Sign(hr, r.Body, id, secret, time.Now())
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s: %v", rt.Name, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}
