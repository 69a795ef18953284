package console_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/console"
	"github.com/sluice-dev/sluice/internal/authz"
	"github.com/sluice-dev/sluice/internal/badinput"
	"github.com/sluice-dev/sluice/sluicetest"
)

// consoleAuthzBodies are the bodies of the console operations that take one, with ${name} standing for the
// value of parameter name.
var consoleAuthzBodies = map[string]string{
	"PUT /console/api/projects/{project}/files/{id}":               `{"content":"SELECT 2;","description":"d"}`,
	"POST /console/api/projects/{project}/files/{id}/commit":       `{"comment":"c"}`,
	"POST /console/api/projects/{project}/files/{id}/deploy":       `{"comment":"c"}`,
	"POST /console/api/projects/{project}/installs":                `{"source":"authz_consumer","name":"c_pkg"}`,
	"POST /console/api/projects/{project}/packages":                `{"name":"authz_pkg_new"}`,
	"POST /console/api/projects/{project}/packages/{name}/allow":   `{"project":"authz_elsewhere","label":1}`,
	"POST /console/api/projects/{project}/packages/{name}/objects": `{"type":"table","schema":"","name":"${table}","actions":["describe"]}`,
	"PUT /console/api/projects/{project}/resources/{name}":         `raw bytes`,
}

// TestAuthz is the authorization matrix of the console's API (docs/authorization.md): every operation as
// every project role, a package consumer and an outsider, each signed in with a session of its own.
func TestAuthz(t *testing.T) {
	table, err := authz.Load("../docs/authorization.md")
	if err != nil {
		t.Fatal(err)
	}
	imports := authz.WriteImports(t)
	e := &env{t: t, srv: newServer(t, sluicetest.Options{ImportRoots: []string{imports}})}
	e.root = e.srv.Client()
	tg := authz.Setup(t, e.srv, imports)
	clients := map[authz.Role]*client{}
	for role, user := range tg.Users {
		clients[role] = e.signInWith(user, authz.Password(user))
	}
	// The console names a table by its name, files by id, and a package's objects and consumers by name.
	v := func(vals authz.Values) authz.Values {
		out := authz.Values{}
		for k, s := range vals {
			out[k] = s
		}
		out["table"] = vals["tableName"]
		out["column"] = "a"
		out["name"] = vals["resource_name"]
		out["source"], out["consumer"], out["type"], out["object"] = "authz_consumer", "authz_elsewhere", "table", vals["tableName"]
		return out
	}
	fx := authz.Fixture{Real: v(tg.Real), GhostProject: v(tg.GhostProject), GhostObjects: v(tg.GhostObjects), Secrets: tg.Secrets}
	// Operations on a package name the package, and some need one object or name apart.
	for _, vals := range []authz.Values{fx.Real, fx.GhostObjects} {
		pkg := strings.Replace(vals["packageName"], "pkg", "pkg2", 1)
		for _, op := range console.Routes() {
			if strings.Contains(op, "/packages/{name}") {
				vals[op+".name"] = pkg
			}
		}
		vals["DELETE /console/api/projects/{project}/installs/{source}/{name}.name"] = "c_pkg"
		vals["DELETE /console/api/projects/{project}/resources/{name}.name"] = strings.Replace(vals["resource_name"], "res", "res2", 1)
		vals["PUT /console/api/projects/{project}/resources/{name}.name"] = "authz_up.jar"
		vals["GET /console/api/lineage/graph.table"] = vals["TableGuid"]
		vals["GET /console/api/lineage/graph.version"] = "" // goes with a node, not a table
		vals["GET /console/api/projects/{project}/packages/{name}.source"] = ""
		vals["GET /console/api/lineage/columns/graph.column"] = vals["ColumnGuid"]
	}
	fx.GhostProject = fx.Real.Ghost(map[string]string{authz.TargetProject: "authz_ghost"}, nil)
	send := func(op string, role authz.Role, v authz.Values) (int, []byte) {
		_, pattern, _ := strings.Cut(op, " ")
		return clients[role].send(op, v.Request(op, pattern, consoleQuery, consoleAuthzBodies[op]))
	}
	var digest func() string
	if e.srv.Server.Config.Database == "" {
		digest = badinput.Digest(t, filepath.Join(e.srv.Server.Config.DataDir, "sluice.db"), "job", "console_sessions")
	}
	// The API, less signing in and out, which concern the session rather than a project (and signing out
	// would end the session the matrix calls with).
	var ops []string
	for _, op := range console.Routes() {
		if strings.Contains(op, " /console/api/") && !strings.HasSuffix(op, "/signin") && !strings.HasSuffix(op, "/signout") {
			ops = append(ops, op)
		}
	}
	total := authz.Run(t, table, authz.Face{Name: "console", ForbiddenStatus: 403, ForbiddenCode: "Forbidden",
		Envelope: badinput.JSONEnvelope("code", "message", "requestId"), Digest: digest, Send: send},
		authz.Last(ops, "DELETE /console/api/projects/{project}/resources/{name}",
			"DELETE /console/api/projects/{project}/installs/{source}/{name}",
			"DELETE /console/api/projects/{project}/packages/{name}/allow/{consumer}",
			"DELETE /console/api/projects/{project}/packages/{name}/objects/{type}/{object}"), fx)
	t.Logf("%d requests", total)
}
