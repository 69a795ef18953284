//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/sluicetest"
)

// throttledServer is a server whose root key may call DataWorks' ListProjects and the native Whoami a few
// times, and where every key may call DLI's ListJobResources 3 times. The rates refill once an hour, so no
// token comes back while a test runs however slow the machine. Neither darabonba (no RetryOptions), the
// old SDK (AutoRetry off by default, and it retries 5xx only) nor the Huawei SDK (no retry unless the
// invoker asks) retries a 429 by default, so each refusal below is one request.
func throttledServer(t *testing.T) *sluicetest.Server {
	t.Helper()
	root := "LTAIthrottle" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	return newServer(t, sluicetest.Options{RootAccessKeyID: root, RootAccessKeySecret: "throttle-secret-0123456789",
		RateLimits: []string{
			root + ":rpc:ListProjects=1/h:3",
			root + ":native:Whoami=1/h:2",
			root + ":roa:ListProjects=1/h:2",
			"*:ListJobResources=1/h:3",
		}})
}

// TestThrottle_DataWorks: after its burst, the root key's DataWorks ListProjects is refused with the
// gateway's Throttling.User and 429, which darabonba (ACS3) and the old SDK (its ServerError) both read; another key's calls of the same action, and the root key's other actions, go on.
func TestThrottle_DataWorks(t *testing.T) {
	srv := throttledServer(t)
	ctx := t.Context()
	if _, err := srv.Client().CreateUser(ctx, "bob", ""); err != nil {
		t.Fatal(err)
	}
	bob, err := srv.Client().CreateKey(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}

	c := daraClient(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, "")
	list := func(c *openapi.Client) error {
		_, err := c.CallApi(rpcParams("ListProjects"), &openapiutil.OpenApiRequest{Body: map[string]any{"PageSize": 10}}, &dara.RuntimeOptions{})
		return err
	}
	for i := range 3 {
		if err := list(c); err != nil {
			t.Fatalf("ListProjects %d within the burst: %v", i+1, err)
		}
	}
	start := time.Now()
	err = list(c)
	if code, status := daraCode(t, err); code != "Throttling.User" || status != http.StatusTooManyRequests {
		t.Fatalf("over the burst: %s %d, want Throttling.User 429 (%v)", code, status, err)
	}
	// CallApi wraps what it read into a tea.SDKError unless the client's DisableSDKError is set; then the
	// answer is darabonba's ThrottlingError, whose RetryAfter (ms) comes from the x-ratelimit-user-api header.
	c.DisableSDKError = dara.Bool(true)
	err = list(c)
	var te *openapi.ThrottlingError
	if !errors.As(err, &te) || dara.StringValue(te.Code) != "Throttling.User" || dara.IntValue(te.StatusCode) != 429 ||
		dara.StringValue(te.RequestId) == "" || te.RetryAfter == nil || *te.RetryAfter <= 0 || *te.RetryAfter > 3600_000 {
		t.Fatalf("darabonba reads %T %v, want its ThrottlingError with a request id and a RetryAfter", err, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the refusal took %s: something retried", d)
	}
	// The old SDK reads the same answer as its ServerError.
	old := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	_, err = old.ListProjects(dataworks.CreateListProjectsRequest())
	if code := oldCode(t, err); code != "Throttling.User" {
		t.Fatalf("old SDK: %s", code)
	}
	// The limit is the root key's on ListProjects only: its other actions, and bob's ListProjects, pass.
	if _, err := c.CallApi(rpcParams("GetProject"), &openapiutil.OpenApiRequest{Query: queryOf("ProjectId", "1")}, &dara.RuntimeOptions{}); err != nil {
		if code, _ := daraCode(t, err); code == "Throttling.User" {
			t.Fatalf("GetProject throttled: %v", err)
		}
	}
	bc := daraClient(t, srv.Endpoint, bob.AccessKeyID, bob.AccessKeySecret, "")
	for i := range 5 {
		if err := list(bc); err != nil {
			t.Fatalf("bob's ListProjects %d: %v", i+1, err)
		}
	}
}

// TestThrottle_DLI: every key gets its own 3 ListJobResources; the fourth is refused with the gateway's
// APIGW.0308 and 429 in DLI's envelope, with Retry-After; another key is unaffected.
func TestThrottle_DLI(t *testing.T) {
	srv := throttledServer(t)
	ctx := t.Context()
	p, err := srv.Client().CreateProject(ctx, "throttled", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().CreateUser(ctx, "carol", ""); err != nil {
		t.Fatal(err)
	}
	carol, err := srv.Client().CreateKey(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().PutMember(ctx, p.Name, "carol", "viewer"); err != nil {
		t.Fatal(err)
	}
	root := dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, p.UUID)
	for i := range 3 {
		if _, err := root.ListJobResources(&model.ListJobResourcesRequest{}); err != nil {
			t.Fatalf("ListJobResources %d within the burst: %v", i+1, err)
		}
	}
	_, err = root.ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, http.StatusTooManyRequests, "APIGW.0308")

	// The same answer, read raw: Retry-After says when the next token comes (an hour at 1/h).
	resp := signedGet(t, srv, "/v2.0/"+p.UUID+"/resources", srv.AccessKeyID, srv.AccessKeySecret, time.Now())
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != 429 || err != nil || ra < 1 || ra > 3600 {
		t.Fatalf("raw: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	viewer := dliClient(t, srv, carol.AccessKeyID, carol.AccessKeySecret, p.UUID)
	for i := range 3 {
		if _, err := viewer.ListJobResources(&model.ListJobResourcesRequest{}); err != nil {
			t.Fatalf("carol's ListJobResources %d: %v", i+1, err)
		}
	}
	_, err = viewer.ListJobResources(&model.ListJobResourcesRequest{})
	dliError(t, err, http.StatusTooManyRequests, "APIGW.0308")
	// Other DLI APIs have no limit here.
	group := "g1"
	if _, err := root.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "nope.jar", Group: &group}); err != nil {
		dliError(t, err, 404, "DLI.0002")
	}
}

// TestThrottle_Native: the native API answers 429 Throttling in its own envelope, with Retry-After.
func TestThrottle_Native(t *testing.T) {
	srv := throttledServer(t)
	cl := srv.Client()
	for i := range 2 {
		if _, err := cl.Whoami(t.Context()); err != nil {
			t.Fatalf("Whoami %d: %v", i+1, err)
		}
	}
	_, err := cl.Whoami(t.Context())
	var se *alibaba.ServiceError
	if !errors.As(err, &se) || se.Status != 429 || se.Code != "Throttling" || se.RequestID == "" {
		t.Fatalf("over the burst: %v, want 429 Throttling with a request id", err)
	}
}

// TestThrottle_MaxCompute: the ROA face answers the gateway's Throttling.User and 429 too, through
// darabonba's ROA path.
func TestThrottle_MaxCompute(t *testing.T) {
	srv := throttledServer(t)
	m := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")
	for i := range 2 {
		if _, err := m.call("ListProjects", "GET", "/api/v1/projects", nil, nil); err != nil {
			t.Fatalf("ListProjects %d: %v", i+1, err)
		}
	}
	_, err := m.call("ListProjects", "GET", "/api/v1/projects", nil, nil)
	if code, status := daraCode(t, err); code != "Throttling.User" || status != http.StatusTooManyRequests {
		t.Fatalf("over the burst: %s %d, want Throttling.User 429 (%v)", code, status, err)
	}
}
