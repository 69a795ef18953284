//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	huaweiauth "github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/sluicetest"
)

// dliClient is the official DLI client pointed at srv as huawei-signing.md §6 says.
func dliClient(t *testing.T, srv *sluicetest.Server, ak, sk, projectID string) *dliv1.DliClient {
	t.Helper()
	return dliClientAt(t, srv.URL, ak, sk, projectID)
}

// dliClientAt is the official DLI client pointed at the server at url.
func dliClientAt(t *testing.T, url, ak, sk, projectID string) *dliv1.DliClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(projectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{url}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-e2e/1.0").WithTimeout(10 * time.Second)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return dliv1.NewDliClient(hc)
}

func dliError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) || se.StatusCode != status || se.ErrorCode != code || se.RequestId == "" {
		t.Fatalf("err = %v, want %d %s with a request id", err, status, code)
	}
}

// signedGet is a DLI request signed as the SDK signs it, sent raw so its headers can be read.
func signedGet(t *testing.T, srv *sluicetest.Server, path, ak, sk string, at time.Time) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "sluice-e2e/1.0")
	huaweiauth.Sign(req, nil, ak, sk, at)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestDLI_Face: the Huawei face of a real server, on the same users and keys as the Alibaba faces, with
// its own request-id header.
func TestDLI_Face(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()
	p, err := srv.Client().CreateProject(ctx, "dli_e2e", "", "")
	if err != nil {
		t.Fatal(err)
	}
	path := "/v2.0/" + p.UUID + "/resources"
	resp := signedGet(t, srv, path, srv.AccessKeyID, srv.AccessKeySecret, time.Now())
	if resp.Header.Get("X-Request-Id") == "" || resp.Header.Get("x-acs-request-id") != "" {
		t.Fatalf("headers %v: the Huawei face answers with X-Request-Id only", resp.Header)
	}
	// And each Alibaba face answers with Alibaba's header only.
	for _, path := range []string{"/?Action=ListProjects", "/api/v1/projects", "/sluice/v1/whoami"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("x-acs-request-id") == "" || resp.Header.Get("X-Request-Id") != "" {
			t.Fatalf("%s: headers %v: an Alibaba face answers with x-acs-request-id only", path, resp.Header)
		}
	}
	if resp.StatusCode != 200 {
		t.Fatalf("list with the root key: status %d", resp.StatusCode)
	}

	// The root key signs Huawei requests as it signs Alibaba ones; by uuid and by name.
	for _, id := range []string{p.UUID, p.Name} {
		list, err := dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, id).ListJobResources(&model.ListJobResourcesRequest{})
		if err != nil {
			t.Fatalf("project id %s: %v", id, err)
		}
		if list.Total == nil || *list.Total != 0 || list.Resources == nil || list.Groups == nil || list.Modules == nil {
			t.Fatalf("empty project: %s", list)
		}
	}
	c := dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, p.UUID)
	group := "g1"
	_, err = c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "nope.jar", Group: &group})
	dliError(t, err, 404, "DLI.0002")
	_, err = c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{}})
	dliError(t, err, 400, "DLI.0001")
	// The core's name rules, whatever the face.
	for _, body := range []model.UploadJobResourcesRequestBody{
		{Paths: []string{"obs://bkt/a.jar"}, Kind: "jar", Group: "my group"},
		{Paths: []string{"obs://bkt/.hidden.jar"}, Kind: "jar", Group: "g1"},
		{Paths: []string{"obs://bkt/my app.jar"}, Kind: "jar", Group: "g1"},
		{Paths: []string{"obs://bkt/a.jar", "obs://other/a.jar"}, Kind: "jar", Group: "g1"},
		{Paths: []string{"obs://bkt/a.jar"}, Kind: "jar", Group: "g1", Tags: &[]model.Tag{{Key: "_sys_x", Value: "v"}}},
	} {
		_, err = c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &body})
		dliError(t, err, 400, "DLI.0001")
	}
	_, err = dliClient(t, srv, srv.AccessKeyID, "wrong-secret", p.UUID).ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, 401, "APIGW.0301")
	_, err = dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "ffffffffffffffffffffffffffffffff").ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, 400, "DLI.0003") // as a project the caller may not see

	// A user of the account who is no member of the project is refused.
	if _, err := srv.Client().CreateUser(ctx, "carol", ""); err != nil {
		t.Fatal(err)
	}
	k, err := srv.Client().CreateKey(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	_, err = dliClient(t, srv, k.AccessKeyID, k.AccessKeySecret, p.UUID).ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, 400, "DLI.0003")
	// A viewer reads but does not change.
	if _, err := srv.Client().PutMember(ctx, p.Name, "carol", "viewer"); err != nil {
		t.Fatal(err)
	}
	viewer := dliClient(t, srv, k.AccessKeyID, k.AccessKeySecret, p.UUID)
	if _, err := viewer.ListJobResources(&model.ListJobResourcesRequest{}); err != nil {
		t.Fatalf("viewer lists: %v", err)
	}
	_, err = viewer.UploadJarJobResources(&model.UploadJarJobResourcesRequest{Body: &model.UploadResourcesRequestBody{
		Paths: []string{"obs://bkt/a.jar"}, Group: "g1"}})
	dliError(t, err, 400, "DLI.0003")
	// A disabled key is refused by the gateway.
	if err := srv.Client().SetKeyEnabled(ctx, k.AccessKeyID, false); err != nil {
		t.Fatal(err)
	}
	_, err = viewer.ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, 401, "APIGW.0301")
}

// TestDLI_StaleAndReplay: a request signed 20 minutes ago is refused, and a write signed once is accepted
// once, the record of it kept in the database the replicas share.
func TestDLI_StaleAndReplay(t *testing.T) {
	srv := newServer(t)
	p, err := srv.Client().CreateProject(t.Context(), "dli_replay", "", "")
	if err != nil {
		t.Fatal(err)
	}
	resp := signedGet(t, srv, "/v2.0/"+p.UUID+"/resources", srv.AccessKeyID, srv.AccessKeySecret, time.Now().Add(-20*time.Minute))
	if resp.StatusCode != 401 {
		t.Fatalf("a request signed 20 minutes ago: status %d, want 401", resp.StatusCode)
	}
	// A DELETE signed once and sent twice: the second is a replay, refused before it reaches the core.
	req, _ := http.NewRequest("DELETE", srv.URL+"/v2.0/"+p.UUID+"/resources/a.jar?group=g1", nil)
	huaweiauth.Sign(req, nil, srv.AccessKeyID, srv.AccessKeySecret, time.Now())
	for i, want := range []int{404, 401} {
		resp, err := http.DefaultClient.Do(req.Clone(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("send %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}
