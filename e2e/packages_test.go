//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// mc is one caller of MaxCompute's 2022-01-04 API: darabonba's CallApi with the Params the generated
// client builds (ROA, JSON, ACS3-HMAC-SHA256), so each request is byte for byte what a user's program
// sends. The generated client itself is not a dependency of the module; its models' JSON names are
// (api/alibaba/roa/sdkmodels_test.go), and the structs below decode with exactly those names.
type mc struct {
	t           *testing.T
	c           *openapi.Client
	description string // who calls, for failure messages
}

func newMC(t *testing.T, srv *sluicetest.Server, id, secret, who string) *mc {
	return &mc{t: t, c: daraClient(t, srv.Endpoint, id, secret, ""), description: who}
}

// call sends one request and returns the response body as JSON, or the SDK's error.
func (m *mc) call(action, method, path string, query map[string]*string, body *string) ([]byte, error) {
	m.t.Helper()
	p := &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	out, err := m.c.CallApi(p, &openapi.OpenApiRequest{Query: query, Body: body}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out["body"])
	if err != nil {
		m.t.Fatal(err)
	}
	return b, nil
}

// must sends a request that has to succeed and decodes its body into out (when not nil).
func (m *mc) must(out any, action, method, path string, query map[string]*string, body *string) {
	m.t.Helper()
	b, err := m.call(action, method, path, query, body)
	if err != nil {
		m.t.Fatalf("%s %s %s as %s: %v", action, method, path, m.description, err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			m.t.Fatalf("%s: decode %s: %v", action, b, err)
		}
	}
}

// The answers, with the generated models' JSON names.

type listPackagesBody struct {
	RequestID string `json:"requestId"`
	Data      struct {
		CreatedPackages []struct {
			Name       string `json:"name"`
			CreateTime int64  `json:"createTime"`
		} `json:"createdPackages"`
		InstalledPackages []struct {
			Name          string `json:"name"`
			SourceProject string `json:"sourceProject"`
			Status        string `json:"status"`
			InstallTime   int64  `json:"installTime"`
		} `json:"installedPackages"`
	} `json:"data"`
}

type packageObject struct {
	Name       string   `json:"name"`
	SchemaName string   `json:"schemaName"`
	Actions    []string `json:"actions"`
}

type getPackageBody struct {
	RequestID string  `json:"requestId"`
	HTTPCode  int32   `json:"httpCode"`
	ErrorCode *string `json:"errorCode"`
	ErrorMsg  *string `json:"errorMsg"`
	Data      struct {
		AllowedProjectList []struct {
			Project string `json:"project"`
			Label   string `json:"label"`
		} `json:"allowedProjectList"`
		ResourceList struct {
			Table    []packageObject `json:"table"`
			Resource []packageObject `json:"resource"`
			Function []packageObject `json:"function"`
		} `json:"resourceList"`
	} `json:"data"`
}

// writeBody is CreatePackage's and UpdatePackage's answer.
type writeBody struct {
	RequestID string `json:"requestId"`
	Data      string `json:"data"`
}

type tableColumn struct {
	Name    string  `json:"name"`
	Type    string  `json:"type"`
	Comment string  `json:"comment"`
	Label   *string `json:"label"`
}

type tableInfoBody struct {
	Data struct {
		Name             string        `json:"name"`
		ProjectName      string        `json:"projectName"`
		Comment          string        `json:"comment"`
		TableLabel       string        `json:"tableLabel"`
		NativeColumns    []tableColumn `json:"nativeColumns"`
		PartitionColumns []tableColumn `json:"partitionColumns"`
		CreateTableDDL   string        `json:"createTableDDL"`
	} `json:"data"`
}

type listTablesBody struct {
	Data struct {
		Tables []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"tables"`
		Marker string `json:"marker"`
	} `json:"data"`
}

// columnsOf renders columns as "name TYPE 'comment' label", label "-" when absent.
func columnsOf(cs []tableColumn) string {
	var out []string
	for _, c := range cs {
		label := "-"
		if c.Label != nil {
			label = *c.Label
		}
		out = append(out, fmt.Sprintf("%s %s '%s' %s", c.Name, c.Type, c.Comment, label))
	}
	return strings.Join(out, "|")
}

// objectsOf renders a package's objects as "schema.name[actions]".
func objectsOf(os []packageObject) string {
	var out []string
	for _, o := range os {
		out = append(out, fmt.Sprintf("%s.%s%v", o.SchemaName, o.Name, o.Actions))
	}
	return strings.Join(out, " ")
}

func (m *mc) listPackages(project string) listPackagesBody {
	m.t.Helper()
	var b listPackagesBody
	m.must(&b, "ListPackages", "GET", "/api/v1/projects/"+project+"/packages", nil, nil)
	return b
}

// getPackage reads a package; source "" asks the project that created it.
func (m *mc) getPackage(project, name, source string) (getPackageBody, error) {
	m.t.Helper()
	var q map[string]*string
	if source != "" {
		q = queryOf("sourceProject", source)
	}
	var b getPackageBody
	raw, err := m.call("GetPackage", "GET", "/api/v1/projects/"+project+"/packages/"+name, q, nil)
	if err == nil {
		err = json.Unmarshal(raw, &b)
	}
	return b, err
}

func (m *mc) createPackage(project string, install bool, body string) error {
	m.t.Helper()
	var q map[string]*string
	if install {
		q = queryOf("isInstall", "true")
	}
	raw, err := m.call("CreatePackage", "POST", "/api/v1/projects/"+project+"/packages", q, dara.String(body))
	if err == nil {
		err = checkWrite(raw)
	}
	return err
}

func (m *mc) updatePackage(project, name, body string) error {
	m.t.Helper()
	raw, err := m.call("UpdatePackage", "PUT", "/api/v1/projects/"+project+"/packages/"+name, nil, dara.String(body))
	if err == nil {
		err = checkWrite(raw)
	}
	return err
}

// checkWrite checks the answer of a package write: {requestId, data: "success"}.
func checkWrite(raw []byte) error {
	var b writeBody
	if err := json.Unmarshal(raw, &b); err != nil || b.Data != "success" || b.RequestID == "" {
		return fmt.Errorf("package write answered %s (%v)", raw, err)
	}
	return nil
}

func (m *mc) tableInfo(project, table string) (tableInfoBody, error) {
	m.t.Helper()
	var b tableInfoBody
	raw, err := m.call("GetTableInfo", "GET", "/api/v1/projects/"+project+"/tables/"+table, nil, nil)
	if err == nil {
		err = json.Unmarshal(raw, &b)
	}
	return b, err
}

func (m *mc) listTables(project string) ([]string, error) {
	m.t.Helper()
	var b listTablesBody
	raw, err := m.call("ListTables", "GET", "/api/v1/projects/"+project+"/tables", queryOf("maxItem", "1000"), nil)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, err
	}
	names := []string{}
	for _, tb := range b.Data.Tables {
		names = append(names, tb.Name)
	}
	return names, nil
}

// packageNames renders ListPackages as "created a,b; installed src.p(OK),...", checking that every time is
// a JSON number of epoch milliseconds from this test's run.
func (m *mc) packageNames(project string, since time.Time) string {
	m.t.Helper()
	b := m.listPackages(project)
	if b.RequestID == "" {
		m.t.Errorf("ListPackages %s: no requestId", project)
	}
	var created, installed []string
	for _, p := range b.Data.CreatedPackages {
		created = append(created, p.Name)
		epochMillisSince(m.t, "createTime", p.CreateTime, since)
	}
	for _, p := range b.Data.InstalledPackages {
		installed = append(installed, fmt.Sprintf("%s.%s(%s)", p.SourceProject, p.Name, p.Status))
		epochMillisSince(m.t, "installTime", p.InstallTime, since)
	}
	return "created " + strings.Join(created, ",") + "; installed " + strings.Join(installed, ",")
}

// epochMillisSince checks that ms is epoch milliseconds between since and now: an ISO string or seconds would
// be mis-read by the SDK, which types these fields *int64 (spec §4).
func epochMillisSince(t *testing.T, what string, ms int64, since time.Time) {
	t.Helper()
	if got := time.UnixMilli(ms); ms <= 0 || got.Before(since.Add(-time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("%s = %d (%v), want epoch ms of this run", what, ms, got)
	}
}

// wantRefused checks a refused call: the HTTP status, and the code in each spelling the error body carries
// for one SDK or another (DARA reads code or Code; MaxCompute's own model errorCode), with httpCode the
// status.
func wantRefused(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	// CallApi answers a tea.SDKError; a DARA one is accepted too, in case the client's path changes.
	var sdkCode, data *string
	var sdkStatus *int
	var de *dara.SDKError
	var te *tea.SDKError
	switch {
	case errors.As(err, &te):
		sdkCode, sdkStatus, data = te.Code, te.StatusCode, te.Data
	case errors.As(err, &de):
		sdkCode, sdkStatus, data = de.Code, de.StatusCode, de.Data
	default:
		t.Errorf("%s: want an SDK error %d %s, got %T %v", what, status, code, err, err)
		return
	}
	// Data is the error body as the SDK decoded it (plus the statusCode it adds).
	var body map[string]any
	if err := json.Unmarshal([]byte(dara.StringValue(data)), &body); err != nil {
		t.Errorf("%s: error body %q: %v", what, dara.StringValue(data), err)
		return
	}
	got := fmt.Sprintf("HTTP %d code=%v Code=%v errorCode=%v httpCode=%v", dara.IntValue(sdkStatus), body["code"], body["Code"],
		body["errorCode"], body["httpCode"])
	want := fmt.Sprintf("HTTP %d code=%s Code=%s errorCode=%s httpCode=%d", status, code, code, code, status)
	if got != want || dara.StringValue(sdkCode) != code {
		t.Errorf("%s: %s (SDK code %s)\nwant %s; body %s", what, got, dara.StringValue(sdkCode), want, dara.StringValue(data))
	}
	if body["requestId"] == nil || body["requestId"] == "" || body["message"] == nil || body["message"] == "" {
		t.Errorf("%s: body without requestId or message: %s", what, dara.StringValue(data))
	}
}

// newMember creates a user of the account (no project role yet) and a key for it, through the native API.
func newMember(t *testing.T, srv *sluicetest.Server, name string) native.Key {
	t.Helper()
	admin := srv.Client()
	if _, err := admin.CreateUser(t.Context(), name, "member"); err != nil {
		t.Fatal(err)
	}
	k, err := admin.CreateKey(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// runSQL runs a script of MaxCompute metadata statements in project with the key id/secret, through the
// native API's RunSQL: DDL has no operation in the 2022-01-04 API.
func runSQL(t *testing.T, srv *sluicetest.Server, id, secret, project, script string) ([]native.SQLResult, error) {
	t.Helper()
	c := &native.Client{Endpoint: srv.URL, AccessKeyID: id, AccessKeySecret: secret}
	return c.RunSQL(t.Context(), project, script)
}

// mustSQL runs a script that has to succeed, checking that every statement answered OK.
func mustSQL(t *testing.T, srv *sluicetest.Server, id, secret, project, script string) {
	t.Helper()
	rs, err := runSQL(t, srv, id, secret, project, script)
	if err != nil {
		t.Fatalf("SQL in %s: %v\n%s", project, err, script)
	}
	for _, r := range rs {
		if r.Kind != "ok" {
			t.Errorf("SQL in %s, statement %d (%s): kind %q, message %q", project, r.Statement, r.Text, r.Kind, r.Message)
		}
	}
}

// wantSQLRefused checks that a script was refused for want of permission in project (the native API's 403,
// its message naming the project, so a refusal for another reason does not pass for this one).
func wantSQLRefused(t *testing.T, what, project string, rs []native.SQLResult, err error) {
	t.Helper()
	var se *native.Error
	if !errors.As(err, &se) || se.Status != http.StatusForbidden || se.Code != "Forbidden" || se.RequestID == "" ||
		strings.Contains(se.Message, project) {
		t.Errorf("%s: %v (results %+v), want HTTP 403 Forbidden, not naming %s", what, err, rs, project)
	}
}

// TestMaxCompute_PackageSharing is the packages story through the official clients against a served
// Sluice: project A (root's) shares a table, a resource uploaded by the DLI SDK and a function with project
// B (bob's, and bob is a member of nothing else) under label 2; B cannot install before A allows it; once
// installed, bob reads A's table within the label and nothing more; dropping the package takes it from both
// sides.
func TestMaxCompute_PackageSharing(t *testing.T) {
	imports := t.TempDir()
	jar := []byte("PK\x03\x04 the masking UDFs")
	if err := os.WriteFile(filepath.Join(imports, "mask.jar"), jar, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{imports}})
	since := time.Now()
	bobKey := newMember(t, srv, "bob")
	root := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")
	bob := newMC(t, srv, bobKey.AccessKeyID, bobKey.AccessKeySecret, "bob")
	root.must(nil, "CreateProject", "POST", "/api/v1/projects", nil, dara.String(`{"name":"share_a","comment":"the source"}`))
	bob.must(nil, "CreateProject", "POST", "/api/v1/projects", nil, dara.String(`{"name":"share_b","comment":"the consumer"}`))

	// A's objects: a partitioned table with comments, one column labelled above B's clearance and one at it;
	// a table the package will not hold; a jar uploaded by the DLI SDK; a function using the jar.
	mustSQL(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "share_a", `
CREATE TABLE customers (id BIGINT COMMENT 'customer key', name STRING COMMENT 'full name', email STRING, phone STRING COMMENT 'mobile')
  COMMENT 'who buys' PARTITIONED BY (ds STRING COMMENT 'day');
SET LABEL 3 TO TABLE customers (phone);
SET LABEL 2 TO TABLE customers (email);
CREATE TABLE internal_notes (note STRING);
`)
	up, err := dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "share_a").UploadJarJobResources(&model.UploadJarJobResourcesRequest{
		Body: &model.UploadResourcesRequestBody{Paths: []string{"file://" + filepath.Join(imports, "mask.jar")}, Group: "udfs"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(*up.Details) != 1 || *(*up.Details)[0].Status != "READY" {
		t.Fatalf("DLI upload: %s", up)
	}
	mustSQL(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "share_a", `CREATE FUNCTION mask_phone AS 'com.example.MaskPhone' USING 'mask.jar';`)

	// The package, named and with actions in mixed case: names are kept lower case, actions too.
	if err := root.createPackage("share_a", false, `{"name":"CRM_Share","resourceList":{
		"table":[{"name":"customers","actions":["Describe","sElEcT"]}],
		"resource":[{"name":"mask.jar","actions":["READ"]}],
		"function":[{"name":"mask_phone","actions":["Read","execute"]}]}}`); err != nil {
		t.Fatal(err)
	}
	objects := "table default.customers[describe select]; resource default.mask.jar[read]; function default.mask_phone[read execute]"
	view := func(b getPackageBody) string {
		var allowed []string
		for _, a := range b.Data.AllowedProjectList {
			allowed = append(allowed, a.Project+":"+a.Label)
		}
		rl := b.Data.ResourceList
		return "allowed " + strings.Join(allowed, ",") + "; table " + objectsOf(rl.Table) + "; resource " + objectsOf(rl.Resource) +
			"; function " + objectsOf(rl.Function)
	}
	pkg := func(c *mc, project, source string) string {
		t.Helper()
		b, err := c.getPackage(project, "crm_share", source)
		if err != nil {
			t.Fatalf("GetPackage %s (source %q) as %s: %v", project, source, c.description, err)
		}
		if b.HTTPCode != 200 || b.RequestID == "" || (b.ErrorCode != nil && *b.ErrorCode != "") || (b.ErrorMsg != nil && *b.ErrorMsg != "") {
			t.Errorf("GetPackage envelope: httpCode %d requestId %q errorCode %v errorMsg %v", b.HTTPCode, b.RequestID, b.ErrorCode, b.ErrorMsg)
		}
		return view(b)
	}
	if got, want := pkg(root, "share_a", ""), "allowed ; "+objects; got != want {
		t.Errorf("GetPackage after create = %s\nwant %s", got, want)
	}

	// Before A allows B, B's owner cannot install it, and nothing changes on either side.
	err = bob.createPackage("share_b", true, `{"name":"share_a.crm_share"}`)
	wantRefused(t, "install before the allow", err, 403, "NoPermission")
	if got := bob.packageNames("share_b", since); got != "created ; installed " {
		t.Errorf("B after the refused install: %s", got)
	}
	if got, want := pkg(root, "share_a", ""), "allowed ; "+objects; got != want {
		t.Errorf("A after the refused install: %s\nwant %s", got, want)
	}

	if err := root.updatePackage("share_a", "crm_share", `{"add":{"allowedProjectList":[{"project":"share_b","label":"2"}]}}`); err != nil {
		t.Fatal(err)
	}
	// The install: CreatePackage?isInstall=true in the consumer, naming <source>.<package> (docs/maxcompute.md).
	if err := bob.createPackage("share_b", true, `{"name":"share_a.crm_share"}`); err != nil {
		t.Fatal(err)
	}

	if got := root.packageNames("share_a", since); got != "created crm_share; installed " {
		t.Errorf("ListPackages A = %s", got)
	}
	if got := bob.packageNames("share_b", since); got != "created ; installed share_a.crm_share(OK)" {
		t.Errorf("ListPackages B = %s", got)
	}
	want := "allowed share_b:2; " + objects
	if got := pkg(root, "share_a", ""); got != want {
		t.Errorf("GetPackage from A = %s\nwant %s", got, want)
	}
	if got := pkg(bob, "share_b", "share_a"); got != want {
		t.Errorf("GetPackage from B = %s\nwant %s", got, want)
	}

	// bob reads A's table through the package: the columns whose label is at most B's clearance 2.
	info, err := bob.tableInfo("share_a", "customers")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := columnsOf(info.Data.NativeColumns), "id BIGINT 'customer key' 0|name STRING 'full name' 0|email STRING '' 2"; got != want {
		t.Errorf("bob's columns = %s\nwant %s", got, want)
	}
	if d := info.Data; d.Name != "customers" || d.ProjectName != "share_a" || d.Comment != "who buys" || d.TableLabel != "0" ||
		columnsOf(d.PartitionColumns) != "ds STRING 'day' -" {
		t.Errorf("bob's table = %+v", d)
	}
	full, err := root.tableInfo("share_a", "customers")
	if err != nil {
		t.Fatal(err)
	}
	if got := columnsOf(full.Data.NativeColumns); !strings.HasSuffix(got, "|phone STRING 'mobile' 3") || len(full.Data.NativeColumns) != 4 {
		t.Errorf("root's columns = %s", got)
	}

	// Nothing beyond the package: not A's other tables, not A's listing, no DDL on the shared table.
	_, err = bob.tableInfo("share_a", "internal_notes")
	wantRefused(t, "bob's GetTableInfo of a table outside the package", err, 403, "NoPermission")
	_, err = bob.listTables("share_a")
	wantRefused(t, "bob's ListTables of A", err, 403, "NoPermission")
	for _, script := range []string{
		"ALTER TABLE share_a.customers SET COMMENT 'taken over';",
		"ALTER TABLE share_a.customers ADD COLUMNS (ssn STRING);",
		"DROP TABLE share_a.customers;",
	} {
		rs, err := runSQL(t, srv, bobKey.AccessKeyID, bobKey.AccessKeySecret, "share_b", script)
		wantSQLRefused(t, "bob in B: "+script, "share_a", rs, err)
	}
	if after, err := root.tableInfo("share_a", "customers"); err != nil || after.Data.Comment != "who buys" ||
		columnsOf(after.Data.NativeColumns) != columnsOf(full.Data.NativeColumns) {
		t.Errorf("customers after bob's refused DDL: %+v, %v", after.Data, err)
	}

	// Dropping the package (MaxCompute SQL: the API has no operation for it) takes it from both sides.
	mustSQL(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "share_a", "DROP PACKAGE crm_share;")
	if got := root.packageNames("share_a", since); got != "created ; installed " {
		t.Errorf("ListPackages A after the drop = %s", got)
	}
	if got := bob.packageNames("share_b", since); got != "created ; installed " {
		t.Errorf("ListPackages B after the drop = %s", got)
	}
	_, err = bob.getPackage("share_b", "crm_share", "share_a") // bob does not read A: one answer, whatever A holds
	wantRefused(t, "GetPackage from B after the drop", err, 403, "NoPermission")
	_, err = root.getPackage("share_a", "crm_share", "")
	wantRefused(t, "GetPackage from A after the drop", err, 404, "NoSuchObject")
	_, err = bob.tableInfo("share_a", "customers")
	wantRefused(t, "bob's GetTableInfo after the drop", err, 403, "NoPermission")
}

// TestMaxCompute_LineageTablesInCatalogue: a DataWorks SQL file committed through the old SDK enters the
// tables it reads and writes into the catalogue, listed with no columns until DDL describes one; then the
// 2022-01-04 API and DataWorks' metadata API report the described table's columns.
func TestMaxCompute_LineageTablesInCatalogue(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "lin_cat"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "lin_cat"}
	root := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")

	if names, err := root.listTables("lin_cat"); err != nil || len(names) != 0 {
		t.Fatalf("ListTables before the commit = %v, %v", names, err)
	}
	w.submit(w.sqlFile("build_new_table", "INSERT OVERWRITE TABLE lin_cat.new_table SELECT id, name FROM lin_cat.src;"))

	names, err := root.listTables("lin_cat")
	if err != nil || !slices.Equal(names, []string{"new_table", "src"}) {
		t.Fatalf("ListTables after the commit = %v, %v", names, err)
	}
	for _, name := range names {
		info, err := root.tableInfo("lin_cat", name)
		if err != nil {
			t.Fatalf("GetTableInfo %s: %v", name, err)
		}
		if d := info.Data; d.Name != name || len(d.NativeColumns) != 0 || len(d.PartitionColumns) != 0 || d.CreateTableDDL != "" {
			t.Errorf("lineage-only %s = %+v", name, d)
		}
	}

	// DDL describes the table lineage named (CREATE TABLE, not IF NOT EXISTS: lineage alone made no table
	// to collide with).
	mustSQL(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "lin_cat",
		"CREATE TABLE new_table (id BIGINT COMMENT 'key', name STRING) COMMENT 'built by build_new_table' PARTITIONED BY (ds STRING);")
	info, err := root.tableInfo("lin_cat", "new_table")
	if err != nil {
		t.Fatal(err)
	}
	if d := info.Data; columnsOf(d.NativeColumns) != "id BIGINT 'key' 0|name STRING '' 0" || columnsOf(d.PartitionColumns) != "ds STRING '' -" ||
		d.Comment != "built by build_new_table" || !strings.HasPrefix(d.CreateTableDDL, "CREATE TABLE IF NOT EXISTS new_table (id BIGINT") {
		t.Errorf("described new_table = %+v", d)
	}
	if names, err := root.listTables("lin_cat"); err != nil || !slices.Equal(names, []string{"new_table", "src"}) {
		t.Errorf("ListTables after the DDL = %v, %v", names, err)
	}

	breq := dataworks.CreateGetMetaTableBasicInfoRequest()
	breq.TableGuid = "odps.lin_cat.new_table"
	d := must(dw.GetMetaTableBasicInfo(breq))(t).Data
	if d.ColumnCount != 3 || !d.IsPartitionTable || d.PartitionKeys != "ds" || d.Comment != "built by build_new_table" || d.TableName != "new_table" ||
		d.ProjectName != "lin_cat" || d.ProjectId != w.id {
		t.Errorf("GetMetaTableBasicInfo new_table = %+v", d)
	}
	breq = dataworks.CreateGetMetaTableBasicInfoRequest()
	breq.TableGuid = "odps.lin_cat.src"
	if d := must(dw.GetMetaTableBasicInfo(breq))(t).Data; d.ColumnCount != 0 || d.TableName != "src" || d.IsPartitionTable {
		t.Errorf("GetMetaTableBasicInfo src = %+v", d)
	}
}

// TestMaxCompute_PackageRefusals: bad input over ROA is refused with its status and code in every spelling,
// and leaves the package and both projects' listings as they were.
func TestMaxCompute_PackageRefusals(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()
	root := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")
	for _, p := range []string{"bad_a", "bad_b"} {
		root.must(nil, "CreateProject", "POST", "/api/v1/projects", nil, dara.String(`{"name":"`+p+`"}`))
	}
	carolKey := newMember(t, srv, "carol")
	if _, err := srv.Client().PutMember(ctx, "bad_a", "carol", "viewer"); err != nil {
		t.Fatal(err)
	}
	carol := newMC(t, srv, carolKey.AccessKeyID, carolKey.AccessKeySecret, "carol, a viewer of A")
	data := []byte("jar bytes")
	sum := sha256.Sum256(data)
	if _, err := srv.Client().UploadResource(ctx, "bad_a", "", "jar", "r1.jar", bytes.NewReader(data), int64(len(data)), hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	mustSQL(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "bad_a", "CREATE TABLE t1 (a BIGINT); CREATE TABLE t2 (b STRING);")
	if err := root.createPackage("bad_a", false, `{"name":"pkg1","resourceList":{"table":[{"name":"t1","actions":["describe"]}],
		"resource":[{"name":"r1.jar","actions":["read"]}]}}`); err != nil {
		t.Fatal(err)
	}
	if err := root.updatePackage("bad_a", "pkg1", `{"add":{"allowedProjectList":[{"project":"bad_b","label":"1"}]}}`); err != nil {
		t.Fatal(err)
	}

	// state is everything a refused call must leave alone: the package as its owner reads it and both
	// projects' package listings (their times included).
	state := func() string {
		t.Helper()
		b, err := root.getPackage("bad_a", "pkg1", "")
		if err != nil {
			t.Fatalf("GetPackage: %v", err)
		}
		p, _ := json.Marshal(b.Data)
		la, _ := json.Marshal(root.listPackages("bad_a").Data)
		lb, _ := json.Marshal(root.listPackages("bad_b").Data)
		return string(p) + "\n" + string(la) + "\n" + string(lb)
	}
	before := state()
	if !strings.Contains(before, `"project":"bad_b","label":"1"`) || !strings.Contains(before, `"name":"pkg1"`) {
		t.Fatalf("state before the refusals:\n%s", before)
	}

	create := func(c *mc, project, body string) func() error {
		return func() error { return c.createPackage(project, false, body) }
	}
	update := func(c *mc, project, name, body string) func() error {
		return func() error { return c.updatePackage(project, name, body) }
	}
	get := func(project, name, source string) func() error {
		return func() error { _, err := root.getPackage(project, name, source); return err }
	}
	allowC := `{"add":{"allowedProjectList":[{"project":"bad_b","label":"5"}]}}`
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"CreateMalformed", create(root, "bad_a", `{"name":"pkg2","resourceList":{"table":[`), 400, "InvalidParameter"},
		{"CreateNotJSON", create(root, "bad_a", `name=pkg2`), 400, "InvalidParameter"},
		{"UpdateMalformed", update(root, "bad_a", "pkg1", `{"add":{"allowedProjectList":[{"project":"bad_b"`), 400, "InvalidParameter"},
		{"CreateUnknownObjectType", create(root, "bad_a", `{"name":"pkg2","resourceList":{"volume":[{"name":"t2"}]}}`), 400, "InvalidParameter"},
		{"UpdateUnknownObjectType", update(root, "bad_a", "pkg1", `{"add":{"resourceList":{"view":[{"name":"t2"}]}}}`), 400, "InvalidParameter"},
		{"CreateSelectOnResource", create(root, "bad_a", `{"name":"pkg2","resourceList":{"resource":[{"name":"r1.jar","actions":["Select"]}]}}`), 400, "InvalidParameter"},
		{"UpdateSelectOnResource", update(root, "bad_a", "pkg1", `{"remove":{"resourceList":{"resource":[{"name":"r1.jar"}]}},
			"add":{"resourceList":{"resource":[{"name":"r1.jar","actions":["Select"]}]}}}`), 400, "InvalidParameter"},
		{"UpdateLabel12", update(root, "bad_a", "pkg1", `{"add":{"allowedProjectList":[{"project":"bad_b","label":"12"}]}}`), 400, "InvalidParameter"},
		{"CreateUnknownProject", create(root, "no_such_dw", `{"name":"pkg2"}`), 403, "NoPermission"},
		{"UpdateUnknownProject", update(root, "no_such_dw", "pkg1", allowC), 403, "NoPermission"},
		{"GetUnknownProject", get("no_such_dw", "pkg1", ""), 403, "NoPermission"},
		{"ListUnknownProject", func() error {
			_, err := root.call("ListPackages", "GET", "/api/v1/projects/no_such_dw/packages", nil, nil)
			return err
		}, 403, "NoPermission"},
		{"GetUnknownPackage", get("bad_a", "no_pkg", ""), 404, "NoSuchObject"},
		{"UpdateUnknownPackage", update(root, "bad_a", "no_pkg", allowC), 404, "NoSuchObject"},
		{"GetNotInstalled", get("bad_b", "pkg1", "bad_a"), 404, "NoSuchObject"},
		{"CreateDuplicate", create(root, "bad_a", `{"name":"pkg1"}`), 409, "ObjectAlreadyExists"},
		{"CreateDuplicateOtherCase", create(root, "bad_a", `{"name":"PKG1","resourceList":{"table":[{"name":"t2"}]}}`), 409, "ObjectAlreadyExists"},
		{"CreateNameDigitFirst", create(root, "bad_a", `{"name":"1pkg"}`), 400, "InvalidParameter"},
		{"CreateNameDash", create(root, "bad_a", `{"name":"pkg-2"}`), 400, "InvalidParameter"},
		{"CreateNameSpace", create(root, "bad_a", `{"name":"pkg 2"}`), 400, "InvalidParameter"},
		{"CreateNameTooLong", create(root, "bad_a", `{"name":"p`+strings.Repeat("k", 128)+`"}`), 400, "InvalidParameter"},
		{"CreateNameEmpty", create(root, "bad_a", `{"name":""}`), 400, "InvalidParameter"},
		{"CreateViewer", create(carol, "bad_a", `{"name":"pkg2","resourceList":{"table":[{"name":"t2"}]}}`), 403, "NoPermission"},
		{"UpdateViewer", update(carol, "bad_a", "pkg1", allowC), 403, "NoPermission"},
	} {
		// No subtests: the clients and state report to this test's t, which a subtest must not fail.
		wantRefused(t, tc.name, tc.call(), tc.status, tc.code)
		if after := state(); after != before {
			t.Errorf("%s changed what it was refused:\n%s\nwas\n%s", tc.name, after, before)
		}
	}
	// The viewer reads what it may not change.
	if b, err := carol.getPackage("bad_a", "pkg1", ""); err != nil || len(b.Data.ResourceList.Table) != 1 {
		t.Errorf("viewer's GetPackage = %+v, %v", b.Data, err)
	}
}
