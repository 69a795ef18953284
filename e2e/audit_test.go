//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/httphandler"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// lastRequestID is an http.RoundTripper that remembers the request id of the last answer, as a program
// would read it from the response header.
type lastRequestID struct {
	mu     sync.Mutex
	header string
	id     string
}

func (l *lastRequestID) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		l.mu.Lock()
		l.id = resp.Header.Get(l.header)
		l.mu.Unlock()
	}
	return resp, err
}

func (l *lastRequestID) last(t *testing.T) string {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.id == "" {
		t.Fatal("the answer had no request id")
	}
	return l.id
}

// TestAudit drives changes through every face (the old DataWorks SDK, darabonba's ROA call, DLI's SDK,
// the native API) and finds each in `sluice audit` with its user, operation, project and the request id
// the client saw in its answer.
func TestAudit(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "etl.jar"), []byte("PK\x03\x04 a jar"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{root}})
	ctx := t.Context()
	type want struct{ op, user, project, requestID string }
	var wants []want

	// The native API, as root: a project, a user with a key, a membership.
	nativeIDs := &lastRequestID{header: "x-acs-request-id"}
	admin := srv.Client()
	admin.HTTP = &http.Client{Transport: nativeIDs}
	p, err := admin.CreateProject(ctx, "audit_e2e", "", "")
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"CreateProject", "root", p.Name, nativeIDs.last(t)})
	if _, err := admin.CreateUser(ctx, "dana", ""); err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"CreateUser", "root", "", nativeIDs.last(t)})
	key, err := admin.CreateKey(ctx, "dana")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutMember(ctx, p.Name, "dana", "developer"); err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"PutMember", "root", p.Name, nativeIDs.last(t)})

	// The old SDK's DataWorks client, as dana: CreateFile and SubmitFile; the request id is the body's.
	dw := newDataWorks(t, srv.Endpoint, key.AccessKeyID, key.AccessKeySecret)
	cb := dataworks.CreateCreateBusinessRequest()
	cb.ProjectId, cb.BusinessName = requests.NewInteger64(p.ID), "audit"
	business, err := dw.CreateBusiness(cb)
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"CreateWorkflow", "dana", p.Name, business.RequestId})
	cf := dataworks.CreateCreateFileRequest()
	cf.ProjectId, cf.FileFolderPath, cf.FileName, cf.FileType, cf.Content = requests.NewInteger64(p.ID), "业务流程/audit/MaxCompute/etl",
		"daily_sales", requests.NewInteger(10), "INSERT OVERWRITE TABLE audit_e2e.sales SELECT * FROM audit_e2e.orders;"
	cf.CreateFolderIfNotExists = requests.NewBoolean(true)
	created, err := dw.CreateFile(cf)
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"CreateFile", "dana", p.Name, created.RequestId})
	sf := dataworks.CreateSubmitFileRequest()
	sf.ProjectId, sf.FileId, sf.Comment = requests.NewInteger64(p.ID), requests.NewInteger64(created.Data), "first"
	submitted, err := dw.SubmitFile(sf)
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"SubmitFile", "dana", p.Name, submitted.RequestId})

	// `sluice sql`'s call, as dana: DDL.
	danaIDs := &lastRequestID{header: "x-acs-request-id"}
	dana := &native.Client{Endpoint: srv.URL, AccessKeyID: key.AccessKeyID, AccessKeySecret: key.AccessKeySecret, HTTP: &http.Client{Transport: danaIDs}}
	if _, err := dana.RunSQL(ctx, p.Name, "CREATE TABLE orders (id BIGINT);"); err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"RunSQL", "dana", p.Name, danaIDs.last(t)})

	// MaxCompute's ROA CreatePackage through darabonba, as root; the request id is the answer's header.
	mcc := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")
	out, err := mcc.c.CallApi(auditROAParams("CreatePackage", "POST", "/api/v1/projects/"+p.Name+"/packages"),
		auditROABody(`{"name":"audit_share","resourceList":{"table":[{"name":"orders","actions":["Describe"]}]}}`), &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"CreatePackage", "root", p.Name, headerOf(out, "x-acs-request-id")})

	// A DLI upload through Huawei's SDK, as dana; the SDK's response handler sees the request id.
	var dliID string
	dli := auditDLIClient(t, srv.URL, key.AccessKeyID, key.AccessKeySecret, p.UUID, func(r http.Response) { dliID = r.Header.Get("X-Request-Id") })
	if _, err := dli.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
		Paths: []string{"file://" + filepath.Join(root, "etl.jar")}, Kind: "jar", Group: "etl"}}); err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{"UploadResources", "dana", p.Name, dliID})

	// The console, as dana signed in with a password: a commit, recorded with the key "console".
	if err := admin.SetPassword(ctx, "dana", "dana-console-password-1"); err != nil {
		t.Fatal(err)
	}
	console := auditConsole(t, srv.URL, "dana", "dana-console-password-1")
	consoleID := console.post(t, fmt.Sprintf("/console/api/projects/%s/files/%d/commit", p.Name, created.Data), `{"comment":"again"}`)
	wants = append(wants, want{"SubmitFile", "dana", p.Name, consoleID})

	// A refused change leaves no entry: dana may not manage members.
	if _, err := dana.PutMember(ctx, p.Name, "root", "viewer"); err == nil {
		t.Fatal("a developer changed a membership")
	}
	refusedID := danaIDs.last(t)

	// `sluice audit` reads them back.
	c := cli{t: t, bin: buildSluice(t), addr: strings.TrimPrefix(srv.URL, "http://")}.as(srv.AccessKeyID, srv.AccessKeySecret)
	var entries []native.AuditEntry
	if err := json.Unmarshal([]byte(c.run(false, "audit", "-o", "json")), &entries); err != nil {
		t.Fatal(err)
	}
	byID := map[string]native.AuditEntry{}
	for _, e := range entries {
		byID[e.RequestID] = e
	}
	for _, w := range wants {
		e, ok := byID[w.requestID]
		if !ok {
			t.Errorf("%s: no entry with request id %q in %+v", w.op, w.requestID, entries)
			continue
		}
		if e.Operation != w.op || e.User != w.user || e.Project != w.project || e.Time.IsZero() || e.AccessKeyID == "" {
			t.Errorf("%s: entry %+v, want user %s, project %q", w.op, e, w.user, w.project)
		}
	}
	if _, ok := byID[refusedID]; ok {
		t.Errorf("the refused change left an entry")
	}
	if e := byID[consoleID]; e.AccessKeyID != "console" || e.ObjectName != "daily_sales" || e.Detail != "version 2" {
		t.Errorf("console commit entry = %+v", e)
	}
	if e := byID[wants[4].requestID]; e.ObjectName != "daily_sales" || e.AccessKeyID != key.AccessKeyID || e.ObjectID == "" {
		t.Errorf("CreateFile entry = %+v", e)
	}

	// Filters and the table: one operation in one project.
	table := c.run(false, "audit", "--project", p.Name, "--operation", "SubmitFile", "--since", "1h")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "REQUEST ID") ||
		!strings.Contains(lines[1], consoleID) || !strings.Contains(lines[2], submitted.RequestId) || !strings.Contains(lines[2], "dana") {
		t.Errorf("sluice audit --operation SubmitFile:\n%s", table)
	}
	if out := c.run(false, "audit", "--user", "dana", "--limit", "2", "-o", "json"); strings.Count(out, `"requestId"`) != 2 {
		t.Errorf("--limit 2 printed:\n%s", out)
	}
	if out := c.run(false, "audit", "--until", "2000-01-01", "-o", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("--until 2000-01-01 printed:\n%s", out)
	}
	// A developer reads no audit log, not even its project's.
	if msg := c.as(key.AccessKeyID, key.AccessKeySecret).run(true, "audit", "--project", p.Name); !strings.Contains(msg, "Forbidden") {
		t.Errorf("dana's sluice audit: %s", msg)
	}
	// Bad input through the API: the native envelope, 400, a clear code.
	for _, q := range []native.AuditQuery{{Limit: 5000}, {Marker: "abc"}, {Since: time.Now(), Until: time.Now().Add(-time.Hour)}} {
		_, err := admin.ListAudit(ctx, q)
		var se *native.Error
		if !errors.As(err, &se) || se.Status != http.StatusBadRequest || se.Code != "InvalidParameter" {
			t.Errorf("ListAudit(%+v) = %v, want 400 InvalidParameter", q, err)
		}
	}
	if msg := c.run(true, "audit", "--since", "yesterday"); !strings.Contains(msg, "--since") {
		t.Errorf("a bad --since: %s", msg)
	}
}

func auditROAParams(action, method, path string) *openapi.Params {
	return &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
}

func auditROABody(body string) *openapi.OpenApiRequest {
	return &openapi.OpenApiRequest{Body: dara.String(body)}
}

// headerOf reads a header of darabonba's answer map.
func headerOf(out map[string]any, name string) string {
	switch h := out["headers"].(type) {
	case map[string]*string:
		for k, v := range h {
			if strings.EqualFold(k, name) {
				return dara.StringValue(v)
			}
		}
	case map[string]any:
		for k, v := range h {
			if s, ok := v.(string); ok && strings.EqualFold(k, name) {
				return s
			}
			if s, ok := v.(*string); ok && strings.EqualFold(k, name) {
				return dara.StringValue(s)
			}
		}
	}
	return ""
}

// auditDLIClient is the DLI client with a response handler, the SDK's own way to read answers' headers.
func auditDLIClient(t *testing.T, url, ak, sk, projectID string, onResponse func(http.Response)) *dliv1.DliClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(projectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{url}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-e2e/1.0").WithTimeout(10 * time.Second).
			WithHttpHandler(httphandler.NewHttpHandler().AddResponseHandler(onResponse))).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return dliv1.NewDliClient(hc)
}

// auditConsoleClient is a signed-in console session, as the console's pages call its API.
type auditConsoleClient struct {
	hc   *http.Client
	base string
	csrf string
}

func auditConsole(t *testing.T, base, user, password string) *auditConsoleClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &auditConsoleClient{hc: &http.Client{Jar: jar}, base: base}
	resp, err := c.hc.Post(base+"/console/api/signin", "application/json",
		strings.NewReader(fmt.Sprintf(`{"user":%q,"password":%q}`, user, password)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != 200 || s.CSRFToken == "" {
		t.Fatalf("console sign-in: %d %v", resp.StatusCode, err)
	}
	c.csrf = s.CSRFToken
	return c
}

// post sends a change and returns the request id of its answer.
func (c *auditConsoleClient) post(t *testing.T, path, body string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("console POST %s: %d %s", path, resp.StatusCode, b)
	}
	return resp.Header.Get("x-acs-request-id")
}
