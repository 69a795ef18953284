package roa

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

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/blob/fileblob"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/sqlstore"
)

// env is a real server: core over SQLite in a temp dir, the adapter behind api.Middleware, on httptest.
type env struct {
	*httptest.Server
	svc  *core.Service
	cat  sluice.CatalogService
	auth *alibaba.Authenticator
	root *sluice.AccessKey
	ctx  context.Context // the root user, for administration

	mu   sync.Mutex
	last capturedRequest
}

// capturedRequest is what the server last received, enough to replay it byte for byte.
type capturedRequest struct {
	method, uri string
	header      http.Header
	body        []byte
}

func newEnv(t testing.TB) *env {
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
	if svc.Blobs, err = fileblob.New(t.TempDir()); err != nil { // PutResource keeps bytes
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Blobs.Close() })
	if err := svc.CheckMasterKey(ctx); err != nil {
		t.Fatal(err)
	}
	root, err := svc.Bootstrap(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, rootUser, err := svc.Authenticate(ctx, root.ID)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{svc: svc, cat: svc, auth: alibaba.NewAuthenticator(svc, db), root: root,
		ctx: sluice.NewContextWithCaller(ctx, &sluice.Caller{User: rootUser})}
	h := New(Services{Projects: svc, Catalog: e.cat, Resources: svc}, e.auth)
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		e.mu.Lock()
		e.last = capturedRequest{method: r.Method, uri: r.RequestURI, header: r.Header.Clone(), body: body}
		e.mu.Unlock()
		h.ServeHTTP(w, r)
	})
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.Middleware(record, slog.New(slog.NewTextHandler(io.Discard, nil)), nil))
	e.Server = httptest.NewServer(mux)
	t.Cleanup(e.Close)
	return e
}

func (e *env) hostPort() string { return strings.TrimPrefix(e.URL, "http://") }

// user creates a member user with a key.
func (e *env) user(t *testing.T, name string) *sluice.AccessKey {
	t.Helper()
	if _, err := e.svc.CreateUser(e.ctx, name, sluice.UserMember); err != nil {
		t.Fatal(err)
	}
	k, err := e.svc.CreateAccessKey(e.ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// dara returns a darabonba-openapi client; algorithm "" is the default ACS3-HMAC-SHA256, "v2" the legacy
// ROA signature.
func (e *env) dara(t *testing.T, id, secret, algorithm string) *openapi.Client {
	t.Helper()
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(id),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(e.hostPort()),
		Protocol:        dara.String("http"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// replay sends the last captured request again, byte for byte.
func (e *env) replay(t *testing.T) (int, map[string]any) {
	t.Helper()
	e.mu.Lock()
	c := e.last
	e.mu.Unlock()
	req, err := http.NewRequest(c.method, e.URL+c.uri, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.header.Clone()
	return do(t, req)
}

// do sends req and decodes the JSON answer.
func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", req.Method, req.URL, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	return resp.StatusCode, body
}

// wantDARAError checks that err is the SDK error for status and code, and that the body had every
// field of the error envelope. By default (DisableSDKError unset) DARA hands its callers a *tea.SDKError
// whose Data is the error body as JSON text.
func wantDARAError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error = %T %v, want *tea.SDKError %d %s", err, err, status, code)
	}
	if got := dara.IntValue(se.StatusCode); got != status || dara.StringValue(se.Code) != code {
		t.Fatalf("error = %d %s (%s), want %d %s", got, dara.StringValue(se.Code), dara.StringValue(se.Message), status, code)
	}
	if msg := dara.StringValue(se.Message); !strings.Contains(msg, "request id: ") || strings.HasSuffix(msg, "request id: ") {
		t.Errorf("no request id in the SDK error message %q", msg)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(dara.StringValue(se.Data)), &body); err != nil {
		t.Fatalf("SDK error data %q: %v", dara.StringValue(se.Data), err)
	}
	wantEnvelope(t, body, status, code)
}

// wantEnvelope checks an error body: MaxCompute fields, DARA's lower-case ones and the gateway's, with the
// types both SDKs need (strings, httpCode a number).
func wantEnvelope(t *testing.T, body map[string]any, status int, code string) {
	t.Helper()
	for _, k := range []string{"requestId", "errorCode", "errorMsg", "code", "message",
		"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := body[k].(string); !ok {
			t.Errorf("error body field %s = %#v, want a string (body %v)", k, body[k], body)
		}
	}
	if body["errorCode"] != code || body["code"] != code || body["Code"] != code {
		t.Errorf("codes = %v/%v/%v, want %s", body["errorCode"], body["code"], body["Code"], code)
	}
	if body["message"] == "" || body["message"] != body["Message"] || body["message"] != body["errorMsg"] {
		t.Errorf("messages differ or are empty: %v", body)
	}
	if body["requestId"] == "" || body["requestId"] != body["RequestId"] {
		t.Errorf("request ids = %v / %v", body["requestId"], body["RequestId"])
	}
	// json.Number via dara, float64 via encoding/json.
	if n, _ := json.Marshal(body["httpCode"]); string(n) != jsonInt(status) {
		t.Errorf("httpCode = %s, want %d", n, status)
	}
	if r, _ := body["Recommend"].(string); !strings.HasSuffix(r, "q="+code) {
		t.Errorf("Recommend = %q", r)
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// listAll pages through ListProjects with maxItem and returns the names and the number of pages.
func listAll(t *testing.T, c *openapi.Client, maxItem int, prefix string) ([]string, int) {
	t.Helper()
	var names []string
	marker := ""
	for pages := 1; ; pages++ {
		q := map[string]*string{"maxItem": dara.String(jsonInt(maxItem))}
		if prefix != "" {
			q["prefix"] = dara.String(prefix)
		}
		if marker != "" {
			q["marker"] = dara.String(marker)
		}
		resp, err := listProjects(c, q)
		if err != nil {
			t.Fatalf("ListProjects page %d: %v", pages, err)
		}
		d := resp.Body.Data
		if dara.Int32Value(d.MaxItem) != int32(maxItem) {
			t.Errorf("maxItem = %d, want %d", dara.Int32Value(d.MaxItem), maxItem)
		}
		if len(d.Projects) > maxItem {
			t.Fatalf("page %d has %d projects, more than maxItem %d", pages, len(d.Projects), maxItem)
		}
		for _, p := range d.Projects {
			names = append(names, dara.StringValue(p.Name))
		}
		marker = dara.StringValue(d.Marker)
		if dara.StringValue(d.NextToken) != marker {
			t.Errorf("NextToken %q != marker %q", dara.StringValue(d.NextToken), marker)
		}
		if marker == "" {
			return names, pages
		}
		if len(d.Projects) != maxItem {
			t.Fatalf("page %d is short (%d) but has a marker", pages, len(d.Projects))
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
}

func TestProjects_DARA(t *testing.T) {
	for _, algorithm := range []string{"", "v2"} {
		name := "ACS3"
		if algorithm == "v2" {
			name = "ROAv1"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			c := e.dara(t, e.root.ID, e.root.Secret, algorithm)
			before := time.Now().Add(-time.Second)

			t.Run("Create", func(t *testing.T) {
				resp, err := createProject(c, dara.String(`{"name":"sales_dw","comment":"BI analysis",
					"productType":"payasyougo","defaultQuota":"os_PayAsYouGoQuota",
					"properties":{"typeSystem":"2","encryption":{"enable":false}}}`))
				if err != nil {
					t.Fatal(err)
				}
				if dara.Int32Value(resp.StatusCode) != 200 || dara.StringValue(resp.Body.Data) != "success" {
					t.Fatalf("response = %d %s", dara.Int32Value(resp.StatusCode), dara.StringValue(resp.Body.Data))
				}
				if id := dara.StringValue(resp.Body.RequestId); id == "" || id != dara.StringValue(resp.Headers["x-acs-request-id"]) {
					t.Errorf("requestId %q, header %q", id, dara.StringValue(resp.Headers["x-acs-request-id"]))
				}
				e.mu.Lock()
				auth := e.last.header.Get("Authorization")
				e.mu.Unlock()
				if wantPrefix := map[string]string{"": "ACS3-HMAC-SHA256 ", "v2": "acs "}[algorithm]; !strings.HasPrefix(auth, wantPrefix) {
					t.Errorf("Authorization = %q, want the %q scheme", auth, wantPrefix)
				}
			})

			t.Run("Get", func(t *testing.T) {
				resp, err := getProject(c, "sales_dw", map[string]*string{
					"verbose": dara.String("true"), "withStorageTierInfo": dara.String("true"),
					"withQuotaProductType": dara.String("true")})
				if err != nil {
					t.Fatal(err)
				}
				b := resp.Body
				if dara.Int32Value(b.HttpCode) != 200 || b.ErrorCode != nil || b.ErrorMsg != nil || dara.StringValue(b.RequestId) == "" {
					t.Errorf("envelope = httpCode %d errorCode %v errorMsg %v requestId %q",
						dara.Int32Value(b.HttpCode), b.ErrorCode, b.ErrorMsg, dara.StringValue(b.RequestId))
				}
				d := b.Data
				created := time.UnixMilli(dara.Int64Value(d.CreatedTime))
				if created.Before(before) || created.After(time.Now().Add(time.Second)) {
					t.Errorf("createdTime = %d (%v), want about now in epoch ms", dara.Int64Value(d.CreatedTime), created)
				}
				strs := map[string]*string{
					"name": d.Name, "owner": d.Owner, "comment": d.Comment, "status": d.Status, "type": d.Type,
					"regionId": d.RegionId, "defaultQuota": d.DefaultQuota, "productType": d.ProductType,
					"costStorage": d.CostStorage, "saleTag.resourceType": d.SaleTag.ResourceType,
					"properties.typeSystem": d.Properties.TypeSystem, "properties.timezone": d.Properties.Timezone,
					"properties.tableLifecycle.value": d.Properties.TableLifecycle.Value,
				}
				want := map[string]string{
					"name": "sales_dw", "owner": core.RootUser, "comment": "BI analysis", "status": "AVAILABLE",
					"type": "managed", "regionId": "cn-hangzhou", "defaultQuota": "os_PayAsYouGoQuota",
					"productType": "PayAsYouGo", "costStorage": "0", "saleTag.resourceType": "PayAsYouGo",
					"properties.typeSystem": "2", "properties.timezone": "UTC",
					"properties.tableLifecycle.value": "37231",
				}
				for k, w := range want {
					if got := dara.StringValue(strs[k]); got != w {
						t.Errorf("%s = %q, want %q", k, got, w)
					}
				}
				if d.ThreeTierModel == nil || *d.ThreeTierModel || d.IpWhiteList == nil {
					t.Errorf("threeTierModel = %v, ipWhiteList = %v", d.ThreeTierModel, d.IpWhiteList)
				}
				if !dara.BoolValue(d.Properties.EnableDecimal2) || dara.Int64Value(d.Properties.RetentionDays) != 1 ||
					d.Properties.Encryption == nil || dara.BoolValue(d.Properties.Encryption.Enable) {
					t.Errorf("properties = %+v", d.Properties)
				}
				if si := d.Properties.StorageTierInfo; si == nil || si.StorageTierSize == nil || si.ProjectTotalSize == nil {
					t.Errorf("storageTierInfo = %+v", si)
				}
				sp := d.SecurityProperties
				if sp == nil || !dara.BoolValue(sp.UsingAcl) || !dara.BoolValue(sp.UsingPolicy) ||
					dara.BoolValue(sp.LabelSecurity) || sp.ProjectProtection == nil || dara.BoolValue(sp.ProjectProtection.Protected) {
					t.Errorf("securityProperties = %+v", sp)
				}
				if len(d.SuperAdmins) != 1 || dara.StringValue(d.SuperAdmins[0]) != core.RootUser {
					t.Errorf("superAdmins = %v", dara.StringSliceValue(d.SuperAdmins))
				}

				plain, err := getProject(c, "sales_dw", nil)
				if err != nil {
					t.Fatal(err)
				}
				if plain.Body.Data.SuperAdmins != nil || plain.Body.Data.Properties.StorageTierInfo != nil {
					t.Errorf("without verbose/withStorageTierInfo: superAdmins %v storageTierInfo %v",
						plain.Body.Data.SuperAdmins, plain.Body.Data.Properties.StorageTierInfo)
				}
			})

			t.Run("List", func(t *testing.T) {
				for _, n := range []string{"a_one", "a_two", "b_three", "a_four", "c_five", "a_six"} {
					if _, err := createProject(c, dara.String(`{"name":"`+n+`"}`)); err != nil {
						t.Fatal(err)
					}
				}
				all := []string{"a_four", "a_one", "a_six", "a_two", "b_three", "c_five", "sales_dw"}
				for _, maxItem := range []int{1, 2, 3, 7, 1000} {
					names, pages := listAll(t, c, maxItem, "")
					if strings.Join(names, ",") != strings.Join(all, ",") {
						t.Errorf("maxItem %d: names = %v, want %v", maxItem, names, all)
					}
					if want := (len(all) + maxItem - 1) / maxItem; pages != want {
						t.Errorf("maxItem %d: %d pages, want %d", maxItem, pages, want)
					}
				}
				names, _ := listAll(t, c, 3, "a_")
				if strings.Join(names, ",") != "a_four,a_one,a_six,a_two" {
					t.Errorf("prefix a_: %v", names)
				}

				resp, err := listProjects(c, nil) // defaults: maxItem 10, one page
				if err != nil {
					t.Fatal(err)
				}
				d := resp.Body.Data
				if dara.Int32Value(d.MaxItem) != 10 || len(d.Projects) != len(all) || dara.StringValue(d.Marker) != "" {
					t.Errorf("default page: maxItem %d, %d projects, marker %q", dara.Int32Value(d.MaxItem), len(d.Projects), dara.StringValue(d.Marker))
				}
				p := d.Projects[len(d.Projects)-1]
				if dara.StringValue(p.Name) != "sales_dw" || dara.StringValue(p.Comment) != "BI analysis" ||
					dara.StringValue(p.Owner) != core.RootUser || dara.StringValue(p.Status) != "AVAILABLE" ||
					dara.Int64Value(p.CreatedTime) < before.UnixMilli() || dara.StringValue(p.Properties.TypeSystem) != "2" ||
					!dara.BoolValue(p.SecurityProperties.UsingAcl) {
					t.Errorf("listed project = %s", dara.Prettify(p))
				}

				ext, err := listProjects(c, map[string]*string{"type": dara.String("external")})
				if err != nil || len(ext.Body.Data.Projects) != 0 {
					t.Errorf("type=external: %v, %v", ext, err)
				}
			})

			t.Run("Delete", func(t *testing.T) {
				resp, err := deleteProject(c, "a_one", map[string]*string{"isLogical": dara.String("false")})
				if err != nil {
					t.Fatal(err)
				}
				if dara.StringValue(resp.Body.Data) != "success" || dara.StringValue(resp.Body.RequestId) == "" {
					t.Errorf("delete response = %s", dara.Prettify(resp.Body))
				}
				_, err = getProject(c, "a_one", nil)
				wantDARAError(t, err, 403, "NoPermission")
				_, err = deleteProject(c, "a_one", nil)
				wantDARAError(t, err, 403, "NoPermission")
				names, _ := listAll(t, c, 10, "a_")
				if strings.Join(names, ",") != "a_four,a_six,a_two" {
					t.Errorf("after delete: %v", names)
				}
			})
		})
	}
}

// oldClient is the old alibaba-cloud-sdk-go, HTTP, static key.
func (e *env) oldClient(t *testing.T, id, secret string) *sdk.Client {
	t.Helper()
	c, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewAccessKeyCredential(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// oldRequest is a ROA CommonRequest (the old SDK has no 2022-01-04 MaxCompute client, so this is how its
// users reach the API). The old SDK builds scheme://Domain:Port/path, so the port goes in Port.
func (e *env) oldRequest(method, action, pathPattern string) *requests.CommonRequest {
	host, port, _ := strings.Cut(e.hostPort(), ":")
	req := requests.NewCommonRequest()
	req.Method = method
	req.Domain = host
	req.Port = port
	req.Product = "MaxCompute"
	req.Version = "2022-01-04"
	req.ApiName = action
	req.PathPattern = pathPattern
	return req
}

func wantOldError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("error = %T %v, want ServerError %d %s", err, err, status, code)
	}
	// For SignatureDoesNotMatch the old SDK compares the server's string to sign with its own and, when
	// they agree, replaces Recommend with its "check your AccessKeySecret" hint.
	wantRecommend := code
	if code == "SignatureDoesNotMatch" {
		wantRecommend = "InvalidAccessKeySecret"
	}
	if se.HttpStatus() != status || se.ErrorCode() != code || se.RequestId() == "" || se.HostId() == "" ||
		se.Message() == "" || !strings.Contains(se.Recommend(), wantRecommend) {
		t.Fatalf("ServerError = %d %q %q request %q host %q recommend %q, want %d %s",
			se.HttpStatus(), se.ErrorCode(), se.Message(), se.RequestId(), se.HostId(), se.Recommend(), status, code)
	}
}

func TestProjects_OldSDK(t *testing.T) {
	e := newEnv(t)
	c := e.oldClient(t, e.root.ID, e.root.Secret)

	create := func(body string) error {
		req := e.oldRequest("POST", "CreateProject", "/api/v1/projects")
		req.SetContent([]byte(body))
		req.SetContentType("application/json")
		resp, err := c.ProcessCommonRequest(req)
		if err != nil {
			return err
		}
		var out CreateProjectResponseBody
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil || dara.StringValue(out.Data) != "success" {
			t.Fatalf("CreateProject response %s: %v", resp.GetHttpContentString(), err)
		}
		return nil
	}
	for _, n := range []string{"old_a", "old_b", "old_c"} {
		if err := create(`{"name":"` + n + `","comment":"made by the old SDK"}`); err != nil {
			t.Fatal(err)
		}
	}
	wantOldError(t, create(`{"name":"old_a"}`), 409, "ObjectAlreadyExists")
	wantOldError(t, create(`{"name":"1_bad"}`), 400, "InvalidParameter")

	req := e.oldRequest("GET", "GetProject", "/api/v1/projects/[projectName]")
	req.PathParams["projectName"] = "old_b"
	req.QueryParams["verbose"] = "true"
	resp, err := c.ProcessCommonRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	var got GetProjectResponseBody
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &got); err != nil {
		t.Fatal(err)
	}
	if d := got.Data; dara.Int32Value(got.HttpCode) != 200 || dara.StringValue(d.Name) != "old_b" ||
		dara.StringValue(d.Comment) != "made by the old SDK" || dara.Int64Value(d.CreatedTime) == 0 {
		t.Errorf("GetProject = %s", resp.GetHttpContentString())
	}

	var names []string
	marker := ""
	for {
		req := e.oldRequest("GET", "ListProjects", "/api/v1/projects")
		req.QueryParams["maxItem"] = "2"
		if marker != "" {
			req.QueryParams["marker"] = marker
		}
		resp, err := c.ProcessCommonRequest(req)
		if err != nil {
			t.Fatal(err)
		}
		var page ListProjectsResponseBody
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &page); err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Data.Projects {
			names = append(names, dara.StringValue(p.Name))
		}
		if marker = dara.StringValue(page.Data.Marker); marker == "" {
			break
		}
	}
	if strings.Join(names, ",") != "old_a,old_b,old_c" {
		t.Errorf("ListProjects pages = %v", names)
	}

	del := e.oldRequest("DELETE", "DeleteProject", "/api/v1/projects/[projectName]")
	del.PathParams["projectName"] = "old_b"
	if _, err := c.ProcessCommonRequest(del); err != nil {
		t.Fatal(err)
	}
	req = e.oldRequest("GET", "GetProject", "/api/v1/projects/[projectName]")
	req.PathParams["projectName"] = "old_b"
	_, err = c.ProcessCommonRequest(req)
	wantOldError(t, err, 403, "NoPermission")

	t.Run("Refused", func(t *testing.T) {
		bad := e.oldClient(t, e.root.ID, "wrong-secret")
		_, err := bad.ProcessCommonRequest(e.oldRequest("GET", "ListProjects", "/api/v1/projects"))
		wantOldError(t, err, 400, "SignatureDoesNotMatch")
		unknown := e.oldClient(t, "LTAInobodyknowsthisk", "whatever")
		_, err = unknown.ProcessCommonRequest(e.oldRequest("GET", "ListProjects", "/api/v1/projects"))
		wantOldError(t, err, 404, "InvalidAccessKeyId.NotFound")

		// The old SDK sends no nonce. A read it repeats is byte-identical within the same second and
		// answers again; a write's signature stands in for a nonce, so a byte-identical resend is refused.
		if _, err := c.ProcessCommonRequest(e.oldRequest("GET", "ListProjects", "/api/v1/projects")); err != nil {
			t.Fatal(err)
		}
		if auth := e.last.header.Get("Authorization"); !strings.HasPrefix(auth, "acs "+e.root.ID+":") {
			t.Fatalf("old SDK Authorization = %q", auth)
		}
		if status, body := e.replay(t); status != 200 {
			t.Fatalf("repeated read: %d %v", status, body)
		}
		create := e.oldRequest("POST", "CreateProject", "/api/v1/projects")
		create.SetContent([]byte(`{"name": "old_replayed"}`))
		create.SetContentType("application/json")
		if _, err := c.ProcessCommonRequest(create); err != nil {
			t.Fatal(err)
		}
		status, body := e.replay(t)
		if status != 400 {
			t.Fatalf("replayed write: %d %v", status, body)
		}
		wantEnvelope(t, body, 400, "SignatureNonceUsed")

		e.auth.ShiftClock(-time.Hour)
		defer e.auth.ShiftClock(0)
		_, err = c.ProcessCommonRequest(e.oldRequest("GET", "ListProjects", "/api/v1/projects"))
		wantOldError(t, err, 400, "InvalidTimeStamp.Expired")
	})
}

func TestProjects_NonMember(t *testing.T) {
	e := newEnv(t)
	root := e.dara(t, e.root.ID, e.root.Secret, "")
	bobKey := e.user(t, "bob")
	bob := e.dara(t, bobKey.ID, bobKey.Secret, "")

	if _, err := createProject(root, dara.String(`{"name":"root_secret"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := createProject(bob, dara.String(`{"name":"bob_own"}`)); err != nil {
		t.Fatal(err)
	}
	_, err := getProject(bob, "root_secret", nil)
	wantDARAError(t, err, 403, "NoPermission")
	_, err = deleteProject(bob, "root_secret", nil)
	wantDARAError(t, err, 403, "NoPermission")

	bobs, _ := listAll(t, bob, 10, "")
	roots, _ := listAll(t, root, 10, "")
	if strings.Join(bobs, ",") != "bob_own" || strings.Join(roots, ",") != "root_secret" {
		t.Errorf("bob sees %v, root sees %v", bobs, roots)
	}
	got, err := getProject(bob, "bob_own", nil)
	if err != nil || dara.StringValue(got.Body.Data.Owner) != "bob" {
		t.Errorf("bob's own project: %v, %v", got, err)
	}
	if _, err := getProject(root, "root_secret", nil); err != nil {
		t.Errorf("root's project after bob's attempts: %v", err)
	}
}

func TestProjects_Refused(t *testing.T) {
	for _, algorithm := range []string{"", "v2"} {
		t.Run("algorithm="+algorithm, func(t *testing.T) {
			e := newEnv(t)
			good := e.dara(t, e.root.ID, e.root.Secret, algorithm)

			t.Run("WrongSecret", func(t *testing.T) {
				_, err := listProjects(e.dara(t, e.root.ID, "not-the-secret", algorithm), nil)
				wantDARAError(t, err, 400, "SignatureDoesNotMatch")
			})
			t.Run("UnknownKey", func(t *testing.T) {
				_, err := listProjects(e.dara(t, "LTAInobodyknowsthisk", "whatever", algorithm), nil)
				wantDARAError(t, err, 404, "InvalidAccessKeyId.NotFound")
			})
			t.Run("Replay", func(t *testing.T) {
				if _, err := createProject(good, dara.String(`{"name":"once_only"}`)); err != nil {
					t.Fatal(err)
				}
				if _, err := deleteProject(good, "once_only", nil); err != nil {
					t.Fatal(err)
				}
				status, body := e.replay(t) // the DELETE again
				if status != 400 {
					t.Fatalf("replayed request: %d %v", status, body)
				}
				wantEnvelope(t, body, 400, "SignatureNonceUsed")
			})
			t.Run("StaleDate", func(t *testing.T) {
				e.auth.ShiftClock(time.Hour)
				defer e.auth.ShiftClock(0)
				_, err := listProjects(good, nil)
				wantDARAError(t, err, 400, "InvalidTimeStamp.Expired")
			})
			t.Run("Unsigned", func(t *testing.T) {
				status, body := do(t, mustRequest(t, "GET", e.URL+"/api/v1/projects", ""))
				if status != 400 {
					t.Fatalf("unsigned: %d %v", status, body)
				}
				wantEnvelope(t, body, 400, "MissingSignature")
			})
			names, _ := listAll(t, good, 10, "")
			if len(names) != 0 {
				t.Errorf("projects after refusals: %v", names)
			}
		})
	}
}

func mustRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestProjects_BadInput(t *testing.T) {
	e := newEnv(t)
	c := e.dara(t, e.root.ID, e.root.Secret, "")
	if _, err := createProject(c, dara.String(`{"name":"keep_me","comment":"original"}`)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"NoBody", func() error { _, err := createProject(c, nil); return err }, 400, "InvalidParameter"},
		{"EmptyBody", func() error { _, err := createProject(c, dara.String("  ")); return err }, 400, "InvalidParameter"},
		{"NotJSON", func() error { _, err := createProject(c, dara.String(`{"name":`)); return err }, 400, "InvalidParameter"},
		{"NotAnObject", func() error { _, err := createProject(c, dara.String(`["keep_me"]`)); return err }, 400, "InvalidParameter"},
		{"TrailingData", func() error { _, err := createProject(c, dara.String(`{"name":"x_y_z"} {}`)); return err }, 400, "InvalidParameter"},
		{"NameNumber", func() error { _, err := createProject(c, dara.String(`{"name":123}`)); return err }, 400, "InvalidParameter"},
		{"CommentObject", func() error { _, err := createProject(c, dara.String(`{"name":"new_one","comment":{}}`)); return err }, 400, "InvalidParameter"},
		{"PropertiesString", func() error {
			_, err := createProject(c, dara.String(`{"name":"new_one","properties":"x"}`))
			return err
		}, 400, "InvalidParameter"},
		{"NoName", func() error { _, err := createProject(c, dara.String(`{"comment":"x"}`)); return err }, 400, "InvalidParameter"},
		{"InvalidName", func() error { _, err := createProject(c, dara.String(`{"name":"9lives"}`)); return err }, 400, "InvalidParameter"},
		{"NameTooLong", func() error {
			_, err := createProject(c, dara.String(`{"name":"`+strings.Repeat("x", 29)+`"}`))
			return err
		}, 400, "InvalidParameter"},
		{"Duplicate", func() error {
			_, err := createProject(c, dara.String(`{"name":"keep_me","comment":"changed"}`))
			return err
		}, 409, "ObjectAlreadyExists"},
		{"MaxItemTooBig", func() error {
			_, err := listProjects(c, map[string]*string{"maxItem": dara.String("1001")})
			return err
		}, 400, "InvalidParameter"},
		{"MaxItemNegative", func() error { _, err := listProjects(c, map[string]*string{"maxItem": dara.String("-1")}); return err }, 400, "InvalidParameter"},
		{"MaxItemNotNumber", func() error { _, err := listProjects(c, map[string]*string{"maxItem": dara.String("ten")}); return err }, 400, "InvalidParameter"},
		{"BadMarker", func() error { _, err := listProjects(c, map[string]*string{"marker": dara.String("%%%")}); return err }, 400, "InvalidParameter"},
		{"BadType", func() error { _, err := listProjects(c, map[string]*string{"type": dara.String("weird")}); return err }, 400, "InvalidParameter"},
		{"BadVerbose", func() error {
			_, err := getProject(c, "keep_me", map[string]*string{"verbose": dara.String("yes")})
			return err
		}, 400, "InvalidParameter"},
		{"UnknownProject", func() error { _, err := getProject(c, "nobody_here", nil); return err }, 403, "NoPermission"},
		{"UnknownProjectDelete", func() error { _, err := deleteProject(c, "nobody_here", nil); return err }, 403, "NoPermission"},
		{"EscapedName", func() error { _, err := getProject(c, "no such/project*", nil); return err }, 403, "NoPermission"},
		{"UnknownPath", func() error {
			_, err := call[GetProjectResponse](c, params("GetNothing", "GET", "/api/v1/nothing"), &openapi.OpenApiRequest{})
			return err
		}, 404, "InvalidAction.NotFound"},
		{"UnknownMethod", func() error {
			_, err := call[GetProjectResponse](c, params("PutProjects", "PUT", "/api/v1/projects"), &openapi.OpenApiRequest{})
			return err
		}, 404, "InvalidAction.NotFound"},
		{"TrailingSlash", func() error {
			_, err := call[GetProjectResponse](c, params("GetProject", "GET", "/api/v1/projects/keep_me/"), &openapi.OpenApiRequest{})
			return err
		}, 404, "InvalidAction.NotFound"},
		{"OtherVersion", func() error {
			p := params("GetProject", "GET", "/api/v1/projects/keep_me")
			p.Version = dara.String("2019-06-12")
			_, err := call[GetProjectResponse](c, p, &openapi.OpenApiRequest{})
			return err
		}, 400, "InvalidVersion"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantDARAError(t, tc.call(), tc.status, tc.code) })
	}

	names, _ := listAll(t, c, 10, "")
	if strings.Join(names, ",") != "keep_me" {
		t.Errorf("projects after bad input: %v", names)
	}
	got, err := getProject(c, "keep_me", nil)
	if err != nil || dara.StringValue(got.Body.Data.Comment) != "original" {
		t.Errorf("keep_me changed: %v %v", got, err)
	}

	t.Run("BodyTooLarge", func(t *testing.T) {
		_, err := createProject(c, dara.String(`{"name":"big_one","comment":"`+strings.Repeat("x", maxBody)+`"}`))
		wantDARAError(t, err, 413, "InvalidParameter.BodyTooLarge")
	})
}

// Without api.Middleware in front the handler still gives every answer a request id.
func TestRequestIDWithoutMiddleware(t *testing.T) {
	h := New(Services{}, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/unknown", nil))
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if w.Code != 404 || body["requestId"] == "" || body["requestId"] != w.Header().Get("x-acs-request-id") {
		t.Fatalf("%d %v header %q", w.Code, body, w.Header().Get("x-acs-request-id"))
	}
	wantEnvelope(t, body, 404, "InvalidAction.NotFound")
}

func TestRouteMatch(t *testing.T) {
	h := New(Services{}, nil).(*handler)
	for _, tc := range []struct{ method, path, action, name string }{
		{"GET", "/api/v1/projects", "ListProjects", ""},
		{"POST", "/api/v1/projects", "CreateProject", ""},
		{"GET", "/api/v1/projects/p1", "GetProject", "p1"},
		{"DELETE", "/api/v1/projects/p1", "DeleteProject", "p1"},
		{"GET", "/api/v1/projects/a%20b%2A~", "GetProject", "a b*~"},
		{"GET", "/api/v1/projects/a%2Fb", "GetProject", "a/b"},
		{"GET", "/api/v1/projects/", "", ""},
		{"GET", "/api/v1/projects/p1/x", "", ""},
		{"PATCH", "/api/v1/projects/p1", "", ""},
		{"GET", "/api/v2/projects", "", ""},
	} {
		rt, params := h.find(httptest.NewRequest(tc.method, tc.path, nil))
		action := ""
		if rt != nil {
			action = rt.action
		}
		if action != tc.action || params["projectName"] != tc.name {
			t.Errorf("%s %s = %q %v, want %q %q", tc.method, tc.path, action, params, tc.action, tc.name)
		}
	}
}
