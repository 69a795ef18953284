package console_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/console"
	"github.com/sluice-dev/sluice/internal/badinput"
)

// consoleQuery are the query parameters the console API reads; every GET gets each of them bad (an
// operation that does not read one must ignore it).
var consoleQuery = []string{"parent", "folder", "keyword", "offset", "limit", "prefix", "marker", "table", "node", "env",
	"version", "direction", "depth", "asOf", "column", "kind", "group", "tag", "source", "installedOffset"}

// consoleBodies are valid JSON bodies of the console operations that take one.
var consoleBodies = map[string]string{
	"PUT /console/api/projects/{project}/files/{id}":               `{"content":"SELECT 1;","name":"mk_mid","description":"说明"}`,
	"POST /console/api/projects/{project}/files/{id}/commit":       `{"comment":"c"}`,
	"POST /console/api/projects/{project}/files/{id}/deploy":       `{"comment":"c"}`,
	"POST /console/api/projects/{project}/installs":                `{"source":"lin_secret","name":"pkg9"}`,
	"POST /console/api/projects/{project}/packages":                `{"name":"pkg2"}`,
	"POST /console/api/projects/{project}/packages/{name}/allow":   `{"project":"lin_secret","label":1}`,
	"POST /console/api/projects/{project}/packages/{name}/objects": `{"type":"table","schema":"","name":"t_in","actions":["describe"]}`,
}

// TestBadInput does for the console's API what the vendor faces' generated tests do (e2e/badinput_*):
// every path value, query parameter and body member of every operation gets missing, empty, wrong-type,
// 1 MB, negative, overflowing, unicode, control, SQL-injection and path-traversal values, signed in as the
// project's owner with a valid CSRF token; answers are a success or {code, message, requestId} with a 4xx,
// never a 5xx, and (on SQLite) a refused request changes no row.
func TestBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("many requests")
	}
	total := 0
	for _, route := range console.Routes() {
		method, pattern, _ := strings.Cut(route, " ")
		if !strings.HasPrefix(pattern, "/console/api/") || strings.HasSuffix(pattern, "/signin") || strings.HasSuffix(pattern, "/signout") {
			continue
		}
		t.Run(route, func(t *testing.T) {
			// A server per operation: a deleting operation's successes cannot disturb the next one's fixture.
			e := newLineageEnv(t)
			e.user("carol", map[string]sluice.Role{"lin_a": sluice.RoleOwner, "lin_secret": sluice.RoleOwner})
			ctx := context.Background()
			if _, err := e.root.RunSQL(ctx, "lin_a", "CREATE PACKAGE pkg1; ADD TABLE t_in TO PACKAGE pkg1;"); err != nil {
				t.Fatal(err)
			}
			jar := "PK jar bytes"
			if _, err := e.root.UploadResource(ctx, "lin_a", "g1", "jar", "r1.jar", strings.NewReader(jar), int64(len(jar)), ""); err != nil {
				t.Fatal(err)
			}
			c := e.signIn("carol")
			pathValues := map[string]string{"project": "lin_a", "id": strconv.FormatInt(e.files["mk_mid"].ID, 10), "version": "1",
				"table": "t_in", "column": "a", "name": "r1.jar", "source": "lin_secret", "consumer": "lin_secret",
				"type": "table", "object": "t_in"}
			if strings.Contains(pattern, "/packages/{name}") || strings.Contains(pattern, "/installs/") {
				pathValues["name"] = "pkg1"
			}
			queryValues := map[string]string{"table": "odps.lin_a.t_in", "column": "odps.lin_a.t_in.a", "group": "g1", "limit": "10"}
			op := badinput.Operation{Base: badinput.Request{Path: map[string]string{}, Query: map[string]string{}}}
			for name, v := range pathValues {
				if strings.Contains(pattern, "{"+name+"}") {
					op.Base.Path[name] = v
				}
			}
			if method == http.MethodGet {
				op.Query, op.Base.Query = consoleQuery, maps.Clone(queryValues)
			}
			if bodyText, ok := consoleBodies[route]; ok {
				op.JSONBody, op.Base.Body = bodyText, []byte(bodyText)
			} else if method == http.MethodPut && strings.HasSuffix(pattern, "/resources/{name}") {
				op.Base.Body = []byte("raw bytes") // the upload streams raw bytes, not JSON
			}
			send := func(r badinput.Request) (int, []byte) { return c.send(route, r) }
			// The digest reads SQLite; on PostgreSQL the run checks the answers only.
			var digest func() string
			if e.srv.Server.Config.Database == "" {
				digest = badinput.Digest(t, filepath.Join(e.srv.Server.Config.DataDir, "sluice.db"), "job", "console_sessions")
			}
			total += badinput.Run(t, route, op, send, badinput.JSONEnvelope("code", "message", "requestId"), digest)
		})
	}
	t.Logf("%d requests", total)
}

// send sends r to the console operation route ("METHOD pattern") with the session's CSRF token and returns
// the status and the body.
func (c *client) send(route string, r badinput.Request) (int, []byte) {
	c.t.Helper()
	method, pattern, _ := strings.Cut(route, " ")
	req, _ := http.NewRequest(method, r.URL(c.base, pattern), bytes.NewReader(r.Body))
	req.Header.Set("X-CSRF-Token", c.csrf)
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", route, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}
