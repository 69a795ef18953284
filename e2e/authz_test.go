package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// authzTarget is the project every operation of the authorization matrix is called on.
const authzTarget = "authz_target"

// authzFixture is a server with the target project, its objects, and a user (with an access key) per role
// of the matrix.
type authzFixture struct {
	t     *testing.T
	srv   *sluicetest.Server
	keys  map[authz.Role]native.Key
	fx    authz.Fixture
	table authz.Table
}

// newAuthzFixture starts a server and makes, as the root user: the target project with a workflow, folders,
// committed SQL files, two tables, a resource, a function and a package holding them; a member of it per
// project role; a consumer project that installed the package, whose member is the consumer; an
// outsider, a member of another project only; and a bystander user, whom member and key operations name.
func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	table, err := authz.Load("../docs/authorization.md")
	if err != nil {
		t.Fatal(err)
	}
	imports := t.TempDir()
	for _, name := range []string{"authz_up.jar", "authz_up.py", "authz_up.txt"} {
		if err := os.WriteFile(filepath.Join(imports, name), []byte("PK upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{imports}})
	ctx := context.Background()
	root := srv.Client()
	a := &authzFixture{t: t, srv: srv, keys: map[authz.Role]native.Key{}, table: table}
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	p, err := root.CreateProject(ctx, authzTarget, "", "")
	check("create project", err)
	for _, name := range []string{"authz_consumer", "authz_elsewhere"} {
		_, err := root.CreateProject(ctx, name, "", "")
		check("create project", err)
	}
	users := map[authz.Role]string{authz.Owner: "az_owner", authz.Admin: "az_admin", authz.Developer: "az_dev",
		authz.Viewer: "az_viewer", authz.NonMember: "az_outsider", authz.Consumer: "az_consumer"}
	for _, role := range authz.Roles {
		_, err := root.CreateUser(ctx, users[role], "member")
		check("create user", err)
		if a.keys[role], err = root.CreateKey(ctx, users[role]); err != nil {
			t.Fatal(err)
		}
		project := authzTarget
		switch role {
		case authz.NonMember:
			project = "authz_elsewhere"
		case authz.Consumer:
			project = "authz_consumer"
		}
		memberRole := string(role)
		if project != authzTarget {
			memberRole = "owner"
		}
		_, err = root.PutMember(ctx, project, users[role], memberRole)
		check("put member", err)
	}
	_, err = root.CreateUser(ctx, "az_bystander", "member")
	check("create bystander", err)
	spareKey, err := root.CreateKey(ctx, "az_bystander")
	check("create key", err)
	for _, name := range []string{"authz_res.jar", "authz_res2.jar"} {
		jar := "PK jar bytes"
		_, err := root.UploadResource(ctx, authzTarget, "authz_grp", "jar", name, strings.NewReader(jar), int64(len(jar)), "")
		check("upload", err)
	}
	_, err = root.RunSQL(ctx, authzTarget, `CREATE TABLE authz_tab (a BIGINT, b STRING);
CREATE TABLE authz_tab2 (a BIGINT, b STRING);
CREATE FUNCTION authz_fn AS 'com.example.Fn' USING 'authz_res.jar';
CREATE PACKAGE authz_pkg;
ADD TABLE authz_tab TO PACKAGE authz_pkg;
ADD RESOURCE authz_res.jar TO PACKAGE authz_pkg;
ADD FUNCTION authz_fn TO PACKAGE authz_pkg;
ALLOW PROJECT authz_consumer TO INSTALL PACKAGE authz_pkg;
CREATE PACKAGE authz_pkg2;`)
	check("sql", err)
	consumer := native.Client{Endpoint: srv.URL, AccessKeyID: a.keys[authz.Consumer].AccessKeyID, AccessKeySecret: a.keys[authz.Consumer].AccessKeySecret}
	_, err = consumer.RunSQL(ctx, "authz_consumer", "INSTALL PACKAGE authz_target.authz_pkg;")
	check("install", err)

	// DataWorks objects, through the RPC face as the root user.
	rf := &rpcFixture{t: t, url: srv.URL, keyID: srv.AccessKeyID, secret: srv.AccessKeySecret}
	must := func(action string, q map[string]string) map[string]any {
		t.Helper()
		status, body := rf.call(action, q)
		if status != 200 {
			t.Fatalf("fixture %s: %d %s", action, status, body)
		}
		var out map[string]any
		check(action, json.Unmarshal(body, &out))
		return out
	}
	num := func(v any) string { return strconv.FormatInt(int64(v.(float64)), 10) }
	pid := strconv.FormatInt(p.ID, 10)
	const dir = "业务流程/authz_flow/MaxCompute/authz_dir"
	biz := num(must("CreateBusiness", map[string]string{"ProjectId": pid, "BusinessName": "authz_flow", "UseType": "NORMAL"})["BusinessId"])
	spareBiz := num(must("CreateBusiness", map[string]string{"ProjectId": pid, "BusinessName": "authz_flow_spare", "UseType": "NORMAL"})["BusinessId"])
	folder := must("CreateFolder", map[string]string{"ProjectId": pid, "FolderPath": dir})["Data"].(string)
	spareFolder := must("CreateFolder", map[string]string{"ProjectId": pid, "FolderPath": dir + "_spare"})["Data"].(string)
	file := num(must("CreateFile", map[string]string{"ProjectId": pid, "FileFolderPath": dir, "FileName": "authz_file",
		"FileType": "10", "AutoParsing": "true", "Content": "INSERT OVERWRITE TABLE authz_tab2 SELECT a, b FROM authz_tab;"})["Data"])
	spareFile := num(must("CreateFile", map[string]string{"ProjectId": pid, "FileFolderPath": dir, "FileName": "authz_file_spare",
		"FileType": "10", "Content": "SELECT 1;"})["Data"])
	dep := num(must("SubmitFile", map[string]string{"ProjectId": pid, "FileId": file, "Comment": "first"})["Data"])
	got := must("GetFile", map[string]string{"ProjectId": pid, "FileId": file})
	node := num(got["Data"].(map[string]any)["File"].(map[string]any)["NodeId"])
	must("RegisterLineageRelation", map[string]string{"LineageRelationRegisterVO.SrcEntity.QualifiedName": "maxcompute-table.authz_target.authz_tab2",
		"LineageRelationRegisterVO.DestEntity.QualifiedName": "maxcompute-table.authz_target.authz_tab3"})

	real := authz.Values{
		// DataWorks and MaxCompute RPC.
		"ProjectId": pid, "ProjectIdentifier": authzTarget, "ProjectName": authzTarget,
		"CreateProject.ProjectIdentifier": "authz_new_dw", "CreateProject.ProjectName": "authz_new_dw",
		"BusinessId": biz, "DeleteBusiness.BusinessId": spareBiz, "BusinessName": "authz_flow_new", "UseType": "NORMAL",
		"FolderId": folder, "DeleteFolder.FolderId": spareFolder, "FolderPath": dir, "CreateFolder.FolderPath": dir + "_new",
		"FolderName": "authz_dir_renamed", "FileId": file, "DeleteFile.FileId": spareFile, "FileName": "authz_file_new",
		"FileFolderPath": dir, "FileType": "10", "Content": "SELECT 1;", "NodeId": node, "DeploymentId": dep,
		"FileVersion": "1", "Comment": "c", "ProjectEnv": "DEV", "PageNumber": "1", "PageSize": "10",
		"TableGuid": "odps.authz_target.authz_tab", "ColumnGuid": "odps.authz_target.authz_tab.a", "ColumnName": "a",
		"DataSourceType": "odps", "DatabaseName": authzTarget, "TableName": "authz_tab",
		"EntityQualifiedName": "maxcompute-table.authz_target.authz_tab", "Direction": "down",
		"SrcEntityQualifiedName":                        "maxcompute-table.authz_target.authz_tab",
		"DestEntityQualifiedName":                       "maxcompute-table.authz_target.authz_tab2",
		"DeleteLineageRelation.SrcEntityQualifiedName":  "maxcompute-table.authz_target.authz_tab2",
		"DeleteLineageRelation.DestEntityQualifiedName": "maxcompute-table.authz_target.authz_tab3",
		"Description": "d", "ParentFolderPath": "业务流程/authz_flow/MaxCompute",
		"UpdateBusiness.BusinessName": "authz_flow_upd", "UpdateBusiness.BusinessId": spareBiz, "UpdateFolder.FolderId": spareFolder, "UpdateFile.FileName": "authz_file_upd",
		"LineageRelationRegisterVO.SrcEntity.QualifiedName":  "maxcompute-table.authz_target.authz_tab",
		"LineageRelationRegisterVO.DestEntity.QualifiedName": "maxcompute-table.authz_target.authz_tab2",
		// MaxCompute ROA.
		"projectName": authzTarget, "tableName": "authz_tab", "packageName": "authz_pkg", "maxItem": "10",
		"schemaName": "default", "isInstall": "false",
		// DLI.
		"project_id": p.UUID, "resource_name": "authz_res.jar", "DeleteJobResource.resource_name": "authz_res2.jar",
		"group": "authz_grp", "UpdatePackage.packageName": "authz_pkg2", "kind": "jar", "resource_type": "dli_package_resource", "resource_id": "authz_grp/authz_res.jar",
		"new_owner": "az_dev", "limit": "10", "offset": "0", "UploadJarJobResources.group": "authz_grp_up",
		"UploadJobResources.group": "authz_grp_up1", "UploadPythonFileJobResources.group": "authz_grp_up2",
		"UploadFileJobResources.group": "authz_grp_up3", "paths": "file://" + filepath.Join(imports, "authz_up.jar"),
		"UploadPythonFileJobResources.paths": "file://" + filepath.Join(imports, "authz_up.py"),
		"UploadFileJobResources.paths":       "file://" + filepath.Join(imports, "authz_up.txt"),
		// Native and the console.
		"project": authzTarget, "user": "az_bystander", "key": spareKey.AccessKeyID, "name": "authz_res.jar",
		"file": file, "version": "1", "table": "odps.authz_target.authz_tab2", "column": "odps.authz_target.authz_tab2.a",
		"maxItems": "10", "DELETE /sluice/v1/projects/{project}/resources/{name}.name": "authz_res2.jar",
		"PUT /sluice/v1/projects/{project}/resources/{name}.name": "authz_up.jar",
	}
	secrets := []string{authzTarget, p.UUID, "authz_tab", "authz_fn", "authz_res", "authz_pkg", "authz_flow", "authz_dir", "authz_file", "authz_grp"}
	objects := map[string]string{}
	for _, s := range secrets[2:] {
		objects[s] = strings.Replace(s, "authz_", "authz_no_", 1)
	}
	const noID = "987654321"
	a.fx = authz.Fixture{
		Real: real,
		GhostProject: real.Ghost(map[string]string{authzTarget: "authz_ghost"},
			map[string]string{"ProjectId": noID, "project_id": "0123456789abcdef0123456789abcdef"}),
		GhostObjects: real.Ghost(objects, map[string]string{"BusinessId": noID, "FolderId": "f" + noID, "FileId": noID,
			"NodeId": noID, "DeploymentId": noID, "file": noID}),
		Secrets: secrets,
	}
	return a
}

// key is the access key id and secret of role.
func (a *authzFixture) key(role authz.Role) (string, string) {
	k := a.keys[role]
	return k.AccessKeyID, k.AccessKeySecret
}

// lastOf orders ops as given, but with those of last moved to the end in last's order: operations that
// destroy what later ones need.
func lastOf(ops []string, last ...string) []string {
	out := slices.DeleteFunc(slices.Clone(ops), func(op string) bool { return slices.Contains(last, op) })
	for _, op := range last {
		if slices.Contains(ops, op) {
			out = append(out, op)
		}
	}
	return out
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
			lastOf(ops, "DeleteFile", "DeleteFolder", "DeleteBusiness", "DeleteLineageRelation", "DeleteProject"), a.fx)
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
		rt, vals := routes[op], v.For(op)
		r := badinput.Request{Path: map[string]string{}, Query: map[string]string{}}
		for name, s := range vals {
			if strings.Contains(rt.Pattern, "{"+name+"}") {
				r.Path[name] = s
			}
		}
		for _, name := range roaInputs[op].query {
			if s, ok := vals[name]; ok {
				r.Query[name] = s
			}
		}
		if b, ok := roaBodies[op]; ok {
			r.Body = []byte(os.Expand(b, func(name string) string { return vals[name] }))
		}
		return sendROA(t, a.srv.URL, id, secret, rt, r)
	}
	total := authz.Run(t, a.table, authz.Face{Name: "MaxCompute", ForbiddenStatus: 403, ForbiddenCode: "NoPermission",
		Envelope: badinput.JSONEnvelope("errorCode", "errorMsg", "requestId"), Digest: dbDigest(t, a.srv), Send: send},
		lastOf(ops, "DeleteProject"), a.fx)
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
		lastOf(ops, "DeleteJobResource"), a.fx)
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
		vals := v.For(op)
		_, pattern, _ := strings.Cut(op, " ")
		r := badinput.Request{Path: map[string]string{}, Query: map[string]string{}}
		for name, s := range vals {
			if strings.Contains(pattern, "{"+name+"}") {
				r.Path[name] = s
			}
		}
		for _, name := range nativeQuery {
			if s, ok := vals[name]; ok {
				r.Query[name] = s
			}
		}
		if strings.HasSuffix(op, "/audit") {
			r.Query["project"] = vals["project"]
		}
		if b, ok := nativeAuthzBodies[op]; ok {
			r.Body = []byte(os.Expand(b, func(name string) string { return vals[name] }))
		}
		return sendNative(t, a.srv.URL, id, secret, op, r)
	}
	total := authz.Run(t, a.table, authz.Face{Name: "native", ForbiddenStatus: 403, ForbiddenCode: "Forbidden",
		Envelope: badinput.JSONEnvelope("code", "message", "requestId"), Digest: dbDigest(t, a.srv), Send: send},
		lastOf(native.Routes(), "DELETE /sluice/v1/projects/{project}/resources/{name}", "DELETE /sluice/v1/projects/{project}/members/{user}",
			"DELETE /sluice/v1/keys/{key}", "DELETE /sluice/v1/projects/{project}"), a.fx)
	t.Logf("%d requests", total)
}
