package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/internal/badinput"
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
	srv := newServer(t)
	ctx := context.Background()
	for _, p := range []string{"bad_roa", "bad_roa_b"} {
		if _, err := srv.Client().CreateProject(ctx, p, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Client().RunSQL(ctx, "bad_roa", "CREATE TABLE t1 (a BIGINT); CREATE TABLE t2 (b STRING); CREATE PACKAGE pkg1;"); err != nil {
		t.Fatal(err)
	}
	digest := dbDigest(t, srv)
	pathValues := map[string]string{"projectName": "bad_roa", "tableName": "t1", "packageName": "pkg1"}
	queryValues := map[string]string{"maxItem": "10", "schemaName": "default", "sourceProject": "bad_roa", "isInstall": "false"}
	env := badinput.JSONEnvelope("errorCode", "errorMsg", "requestId")
	total := 0
	for _, rt := range roa.Routes() {
		in, ok := roaInputs[rt.Action]
		if !ok {
			t.Errorf("%s is served but has no inputs here: add it to roaInputs", rt.Action)
			continue
		}
		op := badinput.Operation{Base: badinput.Request{Path: map[string]string{}, Query: map[string]string{}}, Query: in.query, JSONBody: in.body}
		for name, v := range pathValues {
			if strings.Contains(rt.Pattern, "{"+name+"}") {
				op.Base.Path[name] = v
			}
		}
		for _, n := range in.query {
			if v, ok := queryValues[n]; ok {
				op.Base.Query[n] = v
			}
		}
		if in.body != "" {
			op.Base.Body = []byte(in.body)
		}
		send := func(r badinput.Request) (int, []byte) {
			return sendROA(t, srv.URL, srv.AccessKeyID, srv.AccessKeySecret, rt, r)
		}
		total += badinput.Run(t, rt.Action, op, send, env, digest)
	}
	t.Logf("%d requests", total)
}

// sendROA sends r to the MaxCompute operation rt at base, signed with ACS3 by the key id and secret as the
// generated client signs, and returns the status and the body.
func sendROA(t *testing.T, base, id, secret string, rt roa.Route, r badinput.Request) (int, []byte) {
	t.Helper()
	hr, _ := http.NewRequest(rt.Method, r.URL(base, rt.Pattern), bytes.NewReader(r.Body))
	hr.Header.Set("x-acs-action", rt.Action)
	hr.Header.Set("x-acs-version", "2022-01-04")
	if r.Body != nil {
		hr.Header.Set("content-type", "application/json; charset=utf-8")
	}
	auth.SignACS3(hr, r.Body, id, secret, time.Now(), "")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s: %v", rt.Action, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}
