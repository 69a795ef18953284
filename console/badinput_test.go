package console_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/console"
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
			digest := sqliteDigest(t, e)
			before := digest()
			send := func(what string, path, q map[string]string, body []byte) {
				t.Helper()
				u := pattern
				for k, v := range path {
					u = strings.Replace(u, "{"+k+"}", url.PathEscape(v), 1)
				}
				vals := url.Values{}
				for k, v := range q {
					vals.Set(k, v)
				}
				req, _ := http.NewRequest(method, c.base+u+"?"+vals.Encode(), bytes.NewReader(body))
				req.Header.Set("X-CSRF-Token", c.csrf)
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := c.hc.Do(req)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				out, _ := io.ReadAll(res.Body)
				res.Body.Close()
				total++
				switch {
				case res.StatusCode >= 500:
					t.Fatalf("%s: %d %.300s", what, res.StatusCode, out)
				case res.StatusCode < 400:
					before = digest()
				default:
					var env struct{ Code, Message, RequestID string }
					if err := json.Unmarshal(out, &env); err != nil || env.Code == "" || env.Message == "" || env.RequestID == "" {
						t.Fatalf("%s: %d without the console's error body: %.300s", what, res.StatusCode, out)
					}
					if after := digest(); after != before {
						t.Fatalf("%s: refused with %s, but the database changed", what, env.Code)
					}
				}
			}
			bodyText, hasBody := consoleBodies[route]
			if method == http.MethodPut && strings.HasSuffix(pattern, "/resources/{name}") {
				bodyText, hasBody = "raw bytes", true // the upload streams raw bytes, not JSON
			}
			baseline := func() (map[string]string, map[string]string, []byte) {
				q := map[string]string{}
				if method == http.MethodGet {
					q = maps.Clone(queryValues)
				}
				var body []byte
				if hasBody {
					body = []byte(bodyText)
				}
				return maps.Clone(pathValues), q, body
			}
			for name := range pathValues {
				if !strings.Contains(pattern, "{"+name+"}") {
					continue
				}
				for label, v := range badValues() {
					if v == nil || *v == "" || strings.ContainsAny(*v, "/\x00") || len(*v) > 1<<16 {
						continue // a path segment cannot be missing, empty, hold '/' or NUL, or exceed a URL's size
					}
					path, q, body := baseline()
					path[name] = *v
					send(fmt.Sprintf("path %s=%s", name, label), path, q, body)
				}
			}
			if method == http.MethodGet {
				for _, n := range consoleQuery {
					for label, v := range badValues() {
						if v != nil && len(*v) > 1<<16 {
							continue // a 1 MB query string exceeds what the HTTP server reads of a request's head
						}
						path, q, body := baseline()
						if v == nil {
							delete(q, n)
						} else {
							q[n] = *v
						}
						send(fmt.Sprintf("query %s=%s", n, label), path, q, body)
					}
				}
			}
			if !hasBody || !strings.HasPrefix(bodyText, "{") {
				return
			}
			var sample map[string]any
			if err := json.Unmarshal([]byte(bodyText), &sample); err != nil {
				t.Fatal(err)
			}
			for member := range sample {
				values := map[string]any{"null": nil, "number": -1, "huge number": 1e300, "object": map[string]any{"a": 1},
					"array of numbers": []any{1, 2}, "boolean": true}
				for label, v := range badValues() {
					if v != nil {
						values[label] = *v
					}
				}
				values["missing"] = struct{}{}
				for label, v := range values {
					path, q, _ := baseline()
					var body map[string]any
					_ = json.Unmarshal([]byte(bodyText), &body)
					if _, ok := v.(struct{}); ok {
						delete(body, member)
					} else {
						body[member] = v
					}
					b, _ := json.Marshal(body)
					send(fmt.Sprintf("body %s=%s", member, label), path, q, b)
				}
			}
			for label, raw := range map[string]string{"not JSON": "{\"name\": ", "array": "[1,2]", "string": `"x"`, "empty": "", "unknown member": `{"nope": 1}`} {
				path, q, _ := baseline()
				send("body "+label, path, q, []byte(raw))
			}
		})
	}
	t.Logf("%d requests", total)
}

// badValues are the hostile and malformed values every parameter gets, by name; nil leaves it out.
func badValues() map[string]*string {
	s := func(v string) *string { return &v }
	return map[string]*string{
		"missing": nil, "empty": s(""), "wrong type": s(`{"a": [1, 2]}`), "huge (1 MB)": s(strings.Repeat("a", 1<<20)),
		"negative": s("-1"), "overflow": s("99999999999999999999999999"), "unicode": s("名字\u202e\u200b😀"),
		"control": s("a\x00b\x01\t\r\n"), "sql injection": s("1' OR '1'='1'; DROP TABLE files; --"),
		"path traversal": s("../../../../etc/passwd"),
	}
}

// sqliteDigest hashes every row of every table of the server's SQLite database (but background job
// bookkeeping); on PostgreSQL it returns "" always, leaving the check to the SQLite run.
func sqliteDigest(t *testing.T, e *lineageEnv) func() string {
	t.Helper()
	if e.srv.Server.Config.Database != "" {
		return func() string { return "" }
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(e.srv.Server.Config.DataDir, "sluice.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func() string {
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			if !strings.Contains(n, "job") && n != "console_sessions" {
				tables = append(tables, n)
			}
		}
		rows.Close()
		h := sha256.New()
		for _, table := range tables {
			rows, err := db.Query(`SELECT * FROM "` + table + `"`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			var lines []string
			for rows.Next() {
				rows.Scan(ptrs...)
				lines = append(lines, fmt.Sprint(vals...))
			}
			rows.Close()
			slices.Sort(lines)
			fmt.Fprintln(h, table, strings.Join(lines, "\n"))
		}
		return hex.EncodeToString(h.Sum(nil))
	}
}
