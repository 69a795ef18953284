package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/internal/authz"
	"github.com/sluice-dev/sluice/internal/badinput"
	"github.com/sluice-dev/sluice/sluicetest"
)

// authzFixture is a server with the matrix's target project (authz.Setup) and the table of needs.
type authzFixture struct {
	srv   *sluicetest.Server
	table authz.Table
	*authz.Target
}

func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	table, err := authz.Load("../docs/authorization.md")
	if err != nil {
		t.Fatal(err)
	}
	imports := authz.WriteImports(t)
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{imports}})
	return &authzFixture{srv: srv, table: table, Target: authz.Setup(t, srv, imports)}
}

// key is the access key id and secret of role.
func (a *authzFixture) key(role authz.Role) (string, string) {
	k := a.Keys[role]
	return k.AccessKeyID, k.AccessKeySecret
}

// TestAuthzRPC is the authorization matrix of the DataWorks and MaxCompute RPC actions: every action as
// every role, against docs/authorization.md.
func TestAuthzRPC(t *testing.T) {
	a := newAuthzFixture(t)
	total := 0
	for _, face := range []struct{ name, version string }{{"DataWorks", "2020-05-18"}, {"MaxCompute RPC", "2019-06-12"}} {
		var ops []string
		for _, act := range rpc.Actions() {
			if act.Version == face.version {
				ops = append(ops, act.Name)
			}
		}
		send := func(op string, role authz.Role, v authz.Values) (int, []byte) {
			id, secret := a.key(role)
			vals, q := v.For(op), map[string]string{}
			if face.version == "2019-06-12" {
				q["ProjectName"] = vals["ProjectName"]
				if op == "CreateProject" {
					q["ProjectName"] = "authz_new_mc"
				}
			} else {
				for _, p := range sdkParams(rpcRequests[op]) {
					if s := vals[p.name]; s != "" {
						q[p.name] = s
					}
					for k, s := range vals {
						if p.kind == "list" && strings.HasPrefix(k, p.name+".") {
							q[k] = s // a struct the old SDK flattens into the form
						}
					}
				}
			}
			return (&rpcFixture{t: t, url: a.srv.URL, keyID: id, secret: secret}).callVersion(face.version, op, q)
		}
		total += authz.Run(t, a.table, authz.Face{Name: face.name, ForbiddenStatus: 403, ForbiddenCode: "Forbidden.Access",
			Envelope: badinput.JSONEnvelope("Code", "Message", "RequestId"), Digest: dbDigest(t, a.srv), Send: send},
			authz.Last(ops, "DeleteFile", "DeleteFolder", "DeleteBusiness", "DeleteLineageRelation", "DeleteProject"), a.Fixture)
	}
	t.Logf("%d requests", total)
}

// roaBodies are the JSON bodies of the MaxCompute operations that take one, with ${name} standing for the
// value of parameter name.
var roaBodies = map[string]string{
	"CreateProject": `{"name":"authz_new_roa","comment":"c","productType":"PayAsYouGo"}`,
	"CreatePackage": `{"name":"authz_pkg_new","resourceList":{"table":[{"name":"${tableName}","actions":["describe"]}]}}`,
	"UpdatePackage": `{"add":{"resourceList":{"table":[{"name":"${tableName}","actions":["describe","select"]}]}}}`,
}

// TestAuthzROA is the authorization matrix of the MaxCompute 2022-01-04 operations.
func TestAuthzROA(t *testing.T) {
	a := newAuthzFixture(t)
	routes := map[string]roa.Route{}
	var ops []string
	for _, rt := range roa.Routes() {
		routes[rt.Action] = rt
		ops = append(ops, rt.Action)
	}
	send := func(op string, role authz.Role, v authz.Values) (int, []byte) {
		id, secret := a.key(role)
		rt := routes[op]
		return sendROA(t, a.srv.URL, id, secret, rt, v.Request(op, rt.Pattern, roaInputs[op].query, roaBodies[op]))
	}
	total := authz.Run(t, a.table, authz.Face{Name: "MaxCompute", ForbiddenStatus: 403, ForbiddenCode: "NoPermission",
		Envelope: badinput.JSONEnvelope("errorCode", "errorMsg", "requestId"), Digest: dbDigest(t, a.srv), Send: send},
		authz.Last(ops, "DeleteProject"), a.Fixture)
	t.Logf("%d requests", total)
}

// TestAuthzDLI is the authorization matrix of the DLI operations.
func TestAuthzDLI(t *testing.T) {
	a := newAuthzFixture(t)
	routes := map[string]dli.Route{}
	var ops []string
	for _, rt := range dli.Routes() {
		routes[rt.Name] = rt
		ops = append(ops, rt.Name)
	}
	send := func(op string, role authz.Role, v authz.Values) (int, []byte) {
		id, secret := a.key(role)
		vals := v.For(op)
		body := map[string]any{"paths": []string{vals["paths"]}, "kind": "jar", "group": vals["group"], "group_name": vals["group"],
			"is_async": false, "resource_name": vals["resource_name"], "new_owner": vals["new_owner"],
			"tags": []map[string]string{{"key": "k", "value": "v"}}, "action": "create",
			"matches": []map[string]string{{"key": "resource_name", "value": vals["resource_name"]}}}
		op2 := dliOperation(routes[op], dliRequests[op], vals, body)
		return sendDLI(t, a.srv.URL, id, secret, routes[op], op2.Base)
	}
	total := authz.Run(t, a.table, authz.Face{Name: "DLI", ForbiddenStatus: 400, ForbiddenCode: "DLI.0003",
		Envelope: badinput.JSONEnvelope("error_code", "error_msg", ""), Digest: dbDigest(t, a.srv), Send: send},
		authz.Last(ops, "DeleteJobResource"), a.Fixture)
	t.Logf("%d requests", total)
}

// nativeAuthzBodies are the bodies of the native operations that take one, with ${name} standing for the
// value of parameter name.
var nativeAuthzBodies = map[string]string{
	"POST /sluice/v1/users":                                        `{"name":"az_new","role":"member"}`,
	"POST /sluice/v1/projects":                                     `{"name":"authz_new_native"}`,
	"PUT /sluice/v1/projects/{project}/members/{user}":             `{"role":"viewer"}`,
	"PUT /sluice/v1/users/{user}/password":                         `{"password":"a long enough password"}`,
	"POST /sluice/v1/projects/{project}/files/{file}/lineage/diff": `{"from":1,"to":0,"script":"INSERT OVERWRITE TABLE authz_tab2 SELECT a FROM authz_tab;"}`,
	"POST /sluice/v1/projects/{project}/sql":                       `{"script":"SHOW TABLES;"}`,
	"PUT /sluice/v1/projects/{project}/resources/{name}":           `raw bytes`,
}

// TestAuthzNative is the authorization matrix of the native API.
func TestAuthzNative(t *testing.T) {
	a := newAuthzFixture(t)
	send := func(op string, role authz.Role, v authz.Values) (int, []byte) {
		id, secret := a.key(role)
		_, pattern, _ := strings.Cut(op, " ")
		query := nativeQuery
		if strings.HasSuffix(op, "/audit") {
			query = append(slices.Clip(query), "project") // the audit log's project is a filter
		}
		r := v.Request(op, pattern, query, nativeAuthzBodies[op])
		return sendNative(t, a.srv.URL, id, secret, op, r)
	}
	total := authz.Run(t, a.table, authz.Face{Name: "native", ForbiddenStatus: 403, ForbiddenCode: "Forbidden",
		Envelope: badinput.JSONEnvelope("code", "message", "requestId"), Digest: dbDigest(t, a.srv), Send: send},
		authz.Last(native.Routes(), "DELETE /sluice/v1/projects/{project}/resources/{name}", "DELETE /sluice/v1/projects/{project}/members/{user}",
			"DELETE /sluice/v1/keys/{key}", "DELETE /sluice/v1/projects/{project}"), a.Fixture)
	t.Logf("%d requests", total)
}
