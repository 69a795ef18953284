package native_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/sluicetest"
	"github.com/sluice-dev/sluice/sqlstore"
)

// fakeCatalog answers RunSQL with what a test sets, and records what it was asked.
type fakeCatalog struct {
	sluice.CatalogService // the other methods are not called

	mu      sync.Mutex
	project sluice.ProjectRef
	script  string
	results []*sluice.SQLResult
	err     error
}

func (f *fakeCatalog) RunSQL(_ context.Context, project sluice.ProjectRef, script string) ([]*sluice.SQLResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.project, f.script = project, script
	return f.results, f.err
}

func (f *fakeCatalog) set(results []*sluice.SQLResult, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results, f.err, f.script = results, err, ""
}

// asked returns the project and script of the last call ("" when none since set).
func (f *fakeCatalog) asked() (sluice.ProjectRef, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.project, f.script
}

// catalogEnv is the native API over a real core (keys, nonces) with a fake catalogue, on httptest.
type catalogEnv struct {
	url     string
	key     *sluice.AccessKey
	catalog *fakeCatalog
}

func newCatalogEnv(t *testing.T) *catalogEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "sluice.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	box, err := seal.New(bytes.Repeat([]byte{1}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	svc := core.New(db, box)
	if err := svc.CheckMasterKey(ctx); err != nil {
		t.Fatal(err)
	}
	root, err := svc.Bootstrap(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	e := &catalogEnv{key: root, catalog: &fakeCatalog{}}
	h := native.New(native.Services{Identity: svc, Projects: svc, Catalog: e.catalog}, alibaba.NewAuthenticator(svc, db))
	srv := httptest.NewServer(api.Middleware(h, slog.New(slog.NewTextHandler(io.Discard, nil)), nil))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *catalogEnv) client() *native.Client {
	return &native.Client{Endpoint: e.url, AccessKeyID: e.key.ID, AccessKeySecret: e.key.Secret}
}

// post sends body to path signed as the client signs it, with the SHA-256 the signature declares (the
// body's own when sum is "").
func (e *catalogEnv) post(t *testing.T, path string, body []byte, sum string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", e.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("content-type", "application/json; charset=utf-8")
	req.Header.Set("x-acs-action", "RunSQL")
	req.Header.Set("x-acs-version", native.Version)
	if sum == "" {
		auth.SignACS3(req, body, e.key.ID, e.key.Secret, time.Now(), "")
	} else {
		auth.SignACS3Hash(req, sum, e.key.ID, e.key.Secret, time.Now(), "")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return resp.StatusCode, out
}

func script(s string) []byte {
	b, _ := json.Marshal(native.SQLScript{Script: s})
	return b
}

// TestRunSQLAnswer: one JSON object per statement, camelCase, RFC 3339 times, and per kind exactly its
// payload, an empty listing as [].
func TestRunSQLAnswer(t *testing.T) {
	e := newCatalogEnv(t)
	created := time.Date(2024, 3, 1, 10, 4, 5, 0, time.UTC)
	table := &sluice.CatalogTable{Project: "sales_dw", Schema: "default", Name: "ods_orders", Kind: sluice.KindTable, Described: true,
		Columns: []sluice.Column{{Name: "order_id", Type: "bigint", Comment: "the order", Label: 2}}, Owner: "root", Lifecycle: 30,
		CreatedAt: created, UpdatedAt: created}
	e.catalog.set([]*sluice.SQLResult{
		{Statement: 1, Line: 1, Text: "CREATE TABLE ods_orders (order_id BIGINT)", Kind: sluice.ResultOK, Message: "OK"},
		{Statement: 2, Line: 2, Text: "SHOW TABLES", Kind: sluice.ResultTables, Tables: []*sluice.CatalogTable{table}},
		{Statement: 3, Line: 3, Text: "SHOW FUNCTIONS", Kind: sluice.ResultFunctions},
		{Statement: 4, Line: 4, Text: "SHOW PACKAGES", Kind: sluice.ResultPackages, Packages: &sluice.PackageListing{
			Created: []*sluice.Package{{Project: "sales_dw", Name: "share", CreatedAt: created}}}},
		{Statement: 5, Line: 5, Text: "DESC ods_orders", Kind: sluice.ResultTable, Table: table},
		{Statement: 6, Line: 6, Text: "DESC PACKAGE share", Kind: sluice.ResultPackage, Package: &sluice.Package{Project: "sales_dw", Name: "share",
			CreatedAt: created, Objects: []sluice.PackageObject{{Type: sluice.ObjectTable, Schema: "default", Name: "ods_orders", Actions: []string{"describe", "select"}}},
			Allowed: []sluice.PackageAllow{{Project: "reports", Label: 2}}}},
		{Statement: 7, Line: 7, Text: "DESC FUNCTION f", Kind: sluice.ResultFunction, Function: &sluice.Function{Project: "sales_dw", Schema: "default",
			Name: "f", Class: "com.example.F", Owner: "root", CreatedAt: created}},
		{Statement: 8, Line: 8, Text: "DESC RESOURCE r.jar", Kind: sluice.ResultResource, Resource: &sluice.Resource{Name: "r.jar",
			Kind: sluice.KindJar, Status: sluice.UploadReady, Owner: "root", Size: 3, CreatedAt: created, UpdatedAt: created}},
	}, nil)

	status, out := e.post(t, "/sluice/v1/projects/sales_dw/sql", script("CREATE TABLE ...; SHOW TABLES"), "")
	if status != 200 || out["requestId"] == "" {
		t.Fatalf("status %d: %v", status, out)
	}
	if p, s := e.catalog.asked(); p != sluice.ProjectByName("sales_dw") || s != "CREATE TABLE ...; SHOW TABLES" {
		t.Errorf("the core got %v %q", p, s)
	}
	results := out["data"].(map[string]any)["results"].([]any)
	if len(results) != 8 {
		t.Fatalf("%d results", len(results))
	}
	keys := func(i int) string {
		var ks []string
		for k := range results[i].(map[string]any) {
			switch k {
			case "statement", "line", "text", "kind", "message":
			default:
				ks = append(ks, k)
			}
		}
		return strings.Join(ks, ",")
	}
	for i, want := range []string{"", "tables", "functions", "packages", "table", "package", "function", "resource"} {
		if got := keys(i); got != want {
			t.Errorf("result %d carries %q, want %q", i+1, got, want)
		}
	}
	first := results[0].(map[string]any)
	if first["statement"] != 1.0 || first["line"] != 1.0 || first["kind"] != "ok" || first["message"] != "OK" ||
		first["text"] != "CREATE TABLE ods_orders (order_id BIGINT)" {
		t.Errorf("result 1: %v", first)
	}
	if fs := results[2].(map[string]any)["functions"].([]any); len(fs) != 0 {
		t.Errorf("empty listing: %v", fs)
	}
	wantJSON := func(i int, field, want string) {
		t.Helper()
		got, _ := json.Marshal(results[i].(map[string]any)[field])
		var a, b any
		json.Unmarshal(got, &a)
		if err := json.Unmarshal([]byte(want), &b); err != nil {
			t.Fatal(err)
		}
		ga, _ := json.Marshal(a)
		gb, _ := json.Marshal(b)
		if !bytes.Equal(ga, gb) {
			t.Errorf("result %d %s:\n got %s\nwant %s", i+1, field, ga, gb)
		}
	}
	tableJSON := `{"project":"sales_dw","schema":"default","name":"ods_orders","kind":"table","described":true,
		"columns":[{"name":"order_id","type":"bigint","comment":"the order","label":2}],"partitionColumns":[],"comment":"",
		"lifecycle":30,"owner":"root","label":0,"createdAt":"2024-03-01T10:04:05Z","updatedAt":"2024-03-01T10:04:05Z"}`
	wantJSON(1, "tables", "["+tableJSON+"]")
	wantJSON(3, "packages", `{"created":[{"project":"sales_dw","name":"share","createdAt":"2024-03-01T10:04:05Z"}],"installed":[]}`)
	wantJSON(4, "table", tableJSON)
	wantJSON(5, "package", `{"project":"sales_dw","name":"share","createdAt":"2024-03-01T10:04:05Z",
		"objects":[{"type":"table","schema":"default","name":"ods_orders","actions":["describe","select"]}],
		"allowed":[{"project":"reports","label":2}]}`)
	wantJSON(6, "function", `{"project":"sales_dw","schema":"default","name":"f","class":"com.example.F","resources":[],"owner":"root",
		"createdAt":"2024-03-01T10:04:05Z"}`)
	if r := results[7].(map[string]any)["resource"].(map[string]any); r["name"] != "r.jar" || r["kind"] != "jar" || r["updatedAt"] != "2024-03-01T10:04:05Z" {
		t.Errorf("resource: %v", r)
	}

	// The Go client reads the same answer.
	got, err := e.client().RunSQL(t.Context(), "sales_dw", "SHOW TABLES")
	if err != nil || len(got) != 8 || got[1].Tables[0].Columns[0].Label != 2 || got[2].Functions == nil || got[5].Package.Allowed[0].Project != "reports" {
		t.Fatalf("client: %+v %v", got, err)
	}
}

// TestRunSQLErrors: the core's errors in the native envelope, with their statuses; a refused request never
// reaches the core.
func TestRunSQLErrors(t *testing.T) {
	e := newCatalogEnv(t)
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{sluice.Errorf(sluice.EINVALID, "Statement 2 (line 3, column 7): expected a table name, found \";\"."), 400, "InvalidParameter"},
		{sluice.Errorf(sluice.ENOTFOUND, "Statement 1 (line 1): the table nope does not exist."), 404, "NotFound"},
		{sluice.Errorf(sluice.EFORBIDDEN, "Statement 1 (line 1): you may not change labels in sales_dw."), 403, "Forbidden"},
		{sluice.Errorf(sluice.ECONFLICT, "Statement 1 (line 1): the table t exists already."), 409, "Conflict"},
		{errors.New("disk on fire"), 500, "InternalError"},
	} {
		e.catalog.set(nil, tc.err)
		status, out := e.post(t, "/sluice/v1/projects/sales_dw/sql", script("x"), "")
		if status != tc.status || out["code"] != tc.code || out["requestId"] == "" || out["data"] != nil {
			t.Errorf("%v: %d %v", tc.err, status, out)
		}
		if msg := sluice.ErrorMessage(tc.err); tc.status < 500 && out["message"] != msg {
			t.Errorf("message %q, want %q", out["message"], msg)
		}
		if tc.status == 500 && strings.Contains(out["message"].(string), "fire") {
			t.Errorf("an internal cause leaked: %v", out["message"])
		}
	}
	// The client reports the server's code and message.
	e.catalog.set(nil, sluice.Errorf(sluice.EINVALID, "Statement 2 (line 3, column 7): expected a table name."))
	_, err := e.client().RunSQL(t.Context(), "sales_dw", "x")
	var se *native.Error
	if !errors.As(err, &se) || se.Status != 400 || !strings.Contains(se.Message, "line 3, column 7") {
		t.Fatalf("client error: %v", err)
	}

	for _, tc := range []struct {
		name   string
		body   []byte
		sum    string
		status int
		code   string
	}{
		{"UnknownField", []byte(`{"script": "x", "dry": true}`), "", 400, "InvalidParameter"},
		{"NotJSON", []byte(`SHOW TABLES`), "", 400, "InvalidParameter"},
		{"BodyNotSigned", script("SHOW TABLES"), strings.Repeat("0", 64), 400, "InvalidParameter"},
		{"TooLarge", script(strings.Repeat("-- x\n", 16<<20/5+1)), "", 413, "InvalidParameter.BodyTooLarge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.catalog.set(nil, nil)
			status, out := e.post(t, "/sluice/v1/projects/sales_dw/sql", tc.body, tc.sum)
			if status != tc.status || out["code"] != tc.code {
				t.Errorf("%d %v", status, out)
			}
			if _, s := e.catalog.asked(); s != "" {
				t.Errorf("the core ran %q", s)
			}
		})
	}
	// A script beyond the 1 MiB other operations allow is accepted.
	long := strings.Repeat("-- a comment line of a long generated script\n", 2<<20/46) + "SHOW TABLES"
	if status, out := e.post(t, "/sluice/v1/projects/sales_dw/sql", script(long), ""); status != 200 {
		t.Errorf("a 2 MiB script: %d %v", status, out["code"])
	} else if _, s := e.catalog.asked(); s != long {
		t.Errorf("the core got %d bytes of %d", len(s), len(long))
	}
	// Unsigned requests are refused before anything else.
	resp, err := http.Post(e.url+"/sluice/v1/projects/sales_dw/sql", "application/json", bytes.NewReader(script("SHOW TABLES")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}
}

// TestRunSQLServed: the route as the server serves it, over the core's catalogue: a script's results, and
// its refusals in the envelope with their statuses.
func TestRunSQLServed(t *testing.T) {
	srv := sluicetest.NewServer(t)
	root := srv.Client()
	ctx := t.Context()
	if _, err := root.CreateProject(ctx, "sales_dw", "", ""); err != nil {
		t.Fatal(err)
	}
	results, err := root.RunSQL(ctx, "sales_dw", "CREATE TABLE t (x BIGINT COMMENT 'x') PARTITIONED BY (ds STRING);\nSHOW TABLES;\nDESC t;")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[0].Kind != "ok" || results[1].Kind != "tables" || len(results[1].Tables) != 1 ||
		results[2].Line != 3 || results[2].Table == nil || results[2].Table.PartitionColumns[0].Name != "ds" || results[2].Table.Owner != "root" {
		t.Fatalf("results: %+v", results)
	}

	// A viewer reads the catalogue but may not change it.
	if _, err := root.CreateUser(ctx, "vera", ""); err != nil {
		t.Fatal(err)
	}
	key, err := root.CreateKey(ctx, "vera")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.PutMember(ctx, "sales_dw", "vera", "viewer"); err != nil {
		t.Fatal(err)
	}
	vera := &native.Client{Endpoint: srv.URL, AccessKeyID: key.AccessKeyID, AccessKeySecret: key.AccessKeySecret}
	if _, err := vera.RunSQL(ctx, "sales_dw", "DESC t"); err != nil {
		t.Errorf("a viewer's DESC: %v", err)
	}
	for _, tc := range []struct {
		who           *native.Client
		script        string
		status        int
		code, message string
	}{
		{vera, "DROP TABLE t", 403, "Forbidden", "Statement 1 (line 1, column 1)"},
		{root, "SHOW TABLES;\nDESC nope;", 404, "NotFound", "Statement 2 (line 2, column 1)"},
		{root, "CREATE TABLE t (y STRING)", 409, "Conflict", "Statement 1 (line 1, column 1)"},
		{root, "SHOW TABLES;\n  DESC;", 400, "InvalidParameter", "line 2, column 7"},
		{root, "SELECT * FROM t", 400, "InvalidParameter", "line 1, column 1"},
	} {
		_, err := tc.who.RunSQL(ctx, "sales_dw", tc.script)
		var se *native.Error
		if !errors.As(err, &se) || se.Status != tc.status || se.Code != tc.code || !strings.Contains(se.Message, tc.message) || se.RequestID == "" {
			t.Errorf("%q: %v, want %d %s with %q", tc.script, err, tc.status, tc.code, tc.message)
		}
	}
}
