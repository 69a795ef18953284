//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package dli_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
)

// fakeKeys are the access keys of the test users, as the core's Authenticate answers them.
type fakeKeys map[string]fakeKey

type fakeKey struct {
	secret  string
	enabled bool
	user    string
}

func (k fakeKeys) Authenticate(_ context.Context, id string) (*sluice.AccessKey, *sluice.User, error) {
	fk, ok := k[id]
	if !ok {
		return nil, nil, sluice.Errorf(sluice.ENOTFOUND, "no key %s", id)
	}
	return &sluice.AccessKey{ID: id, Enabled: fk.enabled, Secret: fk.secret, UserName: fk.user},
		&sluice.User{Name: fk.user, Role: sluice.UserMember}, nil
}

var testKeys = fakeKeys{
	"AKALICE":    {secret: "alice-secret", enabled: true, user: "alice"},
	"AKVIEWER":   {secret: "viewer-secret", enabled: true, user: "viewer_1"},
	"AKSTRANGER": {secret: "stranger-secret", enabled: true, user: "stranger"},
	"AKDISABLED": {secret: "disabled-secret", enabled: false, user: "alice"},
}

// memNonces is the database's nonce table in memory.
type memNonces struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (n *memNonces) UseNonce(_ context.Context, key string, expires time.Time) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if exp, ok := n.seen[key]; ok && exp.After(time.Now()) {
		return false, nil
	}
	n.seen[key] = expires
	return true, nil
}

func (n *memNonces) PurgeNonces(context.Context, time.Time) (int64, error) { return 0, nil }

// env is the DLI face with the fake service, behind the same middleware as the server's.
type env struct {
	fake *fakeResources
	url  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := newFake()
	authn := auth.NewAuthenticator(testKeys, &memNonces{seen: map[string]time.Time{}}) // as the server builds it
	srv := httptest.NewServer(api.Middleware(dli.New(fake, authn), slog.New(slog.NewTextHandler(io.Discard, nil)), nil))
	t.Cleanup(srv.Close)
	return &env{fake: fake, url: srv.URL}
}

// client is the official SDK's DLI client, pointed at the face as huawei-signing.md §6 says.
func (e *env) client(t *testing.T, ak, projectID string) *dliv1.DliClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(testKeys[ak].secret).WithProjectId(projectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{e.url}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-test/1.0").WithTimeout(10 * time.Second)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return dliv1.NewDliClient(hc)
}

func str(s string) *string { return &s }

// sdkError asserts err is the SDK's service error with this status and code, and a request id.
func sdkError(t *testing.T, err error, status int, code string) *sdkerr.ServiceResponseError {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a ServiceResponseError %d %s", err, err, status, code)
	}
	if se.StatusCode != status || se.ErrorCode != code || se.RequestId == "" || se.ErrorMessage == "" {
		t.Fatalf("error = %d %q %q (request id %q), want %d %s", se.StatusCode, se.ErrorCode, se.ErrorMessage, se.RequestId, status, code)
	}
	return se
}

func deref[T any](t *testing.T, field string, p *T) T {
	t.Helper()
	if p == nil {
		t.Fatalf("%s was not decoded", field)
	}
	return *p
}

// TestSDK drives every API through the official SDK client and checks every documented field decodes.
func TestSDK(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, "AKALICE", projectUUID)

	// UploadJobResources, asynchronous, with tags: the answer says UPLOADING at once.
	async := true
	up, err := c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
		Paths: []string{"obs://bkt/jobs/app.jar", "https://bkt.obs.example.com/jobs/util!v1.py"}, Kind: "JAR", Group: "etl",
		IsAsync: &async, Tags: &[]model.Tag{{Key: "env", Value: "dev"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if up.HttpStatusCode != 201 || deref(t, "group_name", up.GroupName) != "etl" || deref(t, "status", up.Status) != "UPLOADING" ||
		!deref(t, "is_async", up.IsAsync) || deref(t, "owner", up.Owner) != "alice" ||
		!slices.Equal(deref(t, "resources", up.Resources), []string{"app.jar", "util!v1.py"}) ||
		deref(t, "create_time", up.CreateTime) != 1700000001000 || deref(t, "update_time", up.UpdateTime) != 1700000001000 {
		t.Fatalf("upload answer %s", up)
	}
	details := deref(t, "details", up.Details)
	if len(details) != 2 {
		t.Fatalf("details %v", details)
	}
	for i, d := range details {
		name := []string{"app.jar", "util!v1.py"}[i]
		if d.CreateTime != 1700000001000 || deref(t, "update_time", d.UpdateTime) != 1700000001000 || d.ResourceType != "jar" ||
			!deref(t, "is_async", d.IsAsync) || deref(t, "resource_name", d.ResourceName) != name ||
			deref(t, "status", d.Status) != "UPLOADING" || deref(t, "underlying_name", d.UnderlyingName) != "5d2f9a3c-6b1e-4f0a-8c7d-000000000001_"+name {
			t.Fatalf("detail %d: %s", i, d)
		}
	}

	// The three per-kind uploads, the second by the project's name as project id; USER-ID names the owner.
	byName := e.client(t, "AKALICE", projectName)
	jar, err := c.UploadJarJobResources(&model.UploadJarJobResourcesRequest{UserId: str("bob_1"),
		Body: &model.UploadResourcesRequestBody{Paths: []string{"obs://bkt/lib/dep.jar"}, Group: "libs"}})
	if err != nil {
		t.Fatal(err)
	}
	if jar.HttpStatusCode != 201 || deref(t, "module_name", jar.ModuleName) != "libs" || deref(t, "module_type", jar.ModuleType) != "jar" ||
		deref(t, "description", jar.Description) != "" || deref(t, "owner", jar.Owner) != "bob_1" || deref(t, "is_async", jar.IsAsync) ||
		deref(t, "status", jar.Status) != "READY" || deref(t, "group_name", jar.GroupName) != "libs" ||
		len(deref(t, "details", jar.Details)) != 1 || deref(t, "create_time", jar.CreateTime) == 0 || deref(t, "update_time", jar.UpdateTime) == 0 {
		t.Fatalf("jar answer %s", jar)
	}
	py, err := byName.UploadPythonFileJobResources(&model.UploadPythonFileJobResourcesRequest{
		Body: &model.UploadResourcesRequestBody{Paths: []string{"obs://bkt/py/job.py"}, Group: "libs"}})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "module_type", py.ModuleType) != "pyFile" || deref(t, "resources", py.Resources)[0] != "job.py" ||
		(*py.Details)[0].ResourceType != "pyFile" || deref(t, "status", py.Status) != "READY" {
		t.Fatalf("pyfile answer %s", py)
	}
	file, err := c.UploadFileJobResources(&model.UploadFileJobResourcesRequest{
		Body: &model.UploadResourcesRequestBody{Paths: []string{"file:///data/lookup.csv"}, Group: "data"}})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "module_type", file.ModuleType) != "file" || deref(t, "module_name", file.ModuleName) != "data" ||
		(*file.Details)[0].ResourceType != "file" || deref(t, "owner", file.Owner) != "alice" {
		t.Fatalf("file answer %s", file)
	}

	// ListJobResources: every field, then filtered by kind (case-insensitive) and by tags.
	list, err := c.ListJobResources(&model.ListJobResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "total", list.Total) != 5 || len(deref(t, "resources", list.Resources)) != 0 || len(deref(t, "groups", list.Groups)) != 3 {
		t.Fatalf("list %s", list)
	}
	mods := deref(t, "modules", list.Modules)
	if len(mods) != 1 || deref(t, "module_name", mods[0].ModuleName) != "sys.datasource.rds" || deref(t, "module_type", mods[0].ModuleType) != "jar" ||
		deref(t, "status", mods[0].Status) != "READY" || deref(t, "description", mods[0].Description) != "RDS datasource" ||
		!slices.Equal(deref(t, "resources", mods[0].Resources), []string{"rds-connector.jar"}) ||
		deref(t, "create_time", mods[0].CreateTime) != 1600000000000 || deref(t, "update_time", mods[0].UpdateTime) != 1600000000000 {
		t.Fatalf("module %s", mods[0])
	}
	g := (*list.Groups)[0] // data, libs, etl sorted: data first
	if deref(t, "group_name", g.GroupName) != "data" || deref(t, "status", g.Status) != "READY" || deref(t, "owner", g.Owner) != "alice" ||
		deref(t, "is_async", g.IsAsync) || !slices.Equal(deref(t, "resources", g.Resources), []string{"lookup.csv"}) ||
		deref(t, "create_time", g.CreateTime) == 0 || deref(t, "update_time", g.UpdateTime) == 0 {
		t.Fatalf("group %s", g)
	}
	etl := (*list.Groups)[1]
	if deref(t, "group_name", etl.GroupName) != "etl" || deref(t, "status", etl.Status) != "UPLOADING" || !deref(t, "is_async", etl.IsAsync) {
		t.Fatalf("group %s", etl)
	}
	d := deref(t, "details", etl.Details)[0]
	if deref(t, "resource_name", d.ResourceName) != "app.jar" || deref(t, "resource_type", d.ResourceType) != "jar" ||
		deref(t, "status", d.Status) != "UPLOADING" || deref(t, "owner", d.Owner) != "alice" || deref(t, "create_time", d.CreateTime) == 0 ||
		deref(t, "update_time", d.UpdateTime) == 0 || deref(t, "underlying_name", d.UnderlyingName) == "" {
		t.Fatalf("detail %s", d)
	}
	list, err = c.ListJobResources(&model.ListJobResourcesRequest{Kind: str("PYFILE")})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "total", list.Total) != 1 || len(*list.Groups) != 1 || *(*list.Groups)[0].GroupName != "libs" || len(*list.Modules) != 1 {
		t.Fatalf("kind=pyFile: %s", list)
	}
	list, err = c.ListJobResources(&model.ListJobResourcesRequest{Tags: str("env=dev")})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "total", list.Total) != 2 || len(*list.Groups) != 1 || *(*list.Groups)[0].GroupName != "etl" {
		t.Fatalf("tags=env=dev: %s", list)
	}

	// ShowJobResource: the escaped name, in its group; without the group it is not found.
	show, err := c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "util!v1.py", Group: str("etl")})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "resource_name", show.ResourceName) != "util!v1.py" || deref(t, "resource_type", show.ResourceType) != "jar" ||
		deref(t, "status", show.Status) != "UPLOADING" || deref(t, "owner", show.Owner) != "alice" ||
		deref(t, "create_time", show.CreateTime) != 1700000001000 || deref(t, "update_time", show.UpdateTime) != 1700000001000 ||
		deref(t, "underlying_name", show.UnderlyingName) != "5d2f9a3c-6b1e-4f0a-8c7d-000000000001_util!v1.py" {
		t.Fatalf("show %s", show)
	}
	_, err = c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "util!v1.py"})
	sdkError(t, err, 404, "DLI.0002")

	// UpdateJobResourceOwner: one package, then a whole group.
	own, err := c.UpdateJobResourceOwner(&model.UpdateJobResourceOwnerRequest{Body: &model.UpdateJobResourceOwnerRequestBody{
		NewOwner: "bob_1", GroupName: "etl", ResourceName: str("app.jar")}})
	if err != nil {
		t.Fatal(err)
	}
	if !deref(t, "is_success", own.IsSuccess) || deref(t, "message", own.Message) != "" {
		t.Fatalf("owner %s", own)
	}
	if _, err := c.UpdateJobResourceOwner(&model.UpdateJobResourceOwnerRequest{Body: &model.UpdateJobResourceOwnerRequestBody{
		NewOwner: "bob_1", GroupName: "data"}}); err != nil {
		t.Fatal(err)
	}
	if show, err = c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "lookup.csv", Group: str("data")}); err != nil || *show.Owner != "bob_1" {
		t.Fatalf("after owner change: %v %s", err, show)
	}
	_, err = c.UpdateJobResourceOwner(&model.UpdateJobResourceOwnerRequest{Body: &model.UpdateJobResourceOwnerRequestBody{
		NewOwner: "nobody_x", GroupName: "data"}})
	sdkError(t, err, 404, "DLI.0002")

	// The tag APIs. resource_id is group/name.
	pkg := model.GetBatchCreateResourceTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE
	created, err := c.BatchCreateResourceTags(&model.BatchCreateResourceTagsRequest{ResourceType: pkg, ResourceId: "etl/app.jar",
		Body: &model.BatchCreateResourceTagsRequestBody{Tags: []model.Tag{{Key: "team", Value: "data"}, {Key: "env", Value: "prod"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if created.HttpStatusCode != 204 {
		t.Fatalf("create tags: %d", created.HttpStatusCode)
	}
	tags, err := c.ShowResourceTags(&model.ShowResourceTagsRequest{ResourceType: model.GetShowResourceTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		ResourceId: "etl/app.jar"})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "count", tags.Count) != 2 || !slices.Equal(deref(t, "tags", tags.Tags), []model.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "data"}}) {
		t.Fatalf("show tags %s", tags)
	}
	keys, err := c.ListResourcesTags(&model.ListResourcesTagsRequest{ResourceType: model.GetListResourcesTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "count", keys.Count) != 2 || len(*keys.Tags) != 2 || (*keys.Tags)[0].Key != "env" ||
		!slices.Equal((*keys.Tags)[0].Values, []string{"dev", "prod"}) {
		t.Fatalf("list tags %s", keys)
	}
	filter := &model.ListResourcesByTagsRequestBody{Tags: &[]model.TagWithValues{{Key: "env", Values: []string{"prod"}}}}
	found, err := c.ListResourcesByTags(&model.ListResourcesByTagsRequest{ResourceType: model.GetListResourcesByTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		Body: filter})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "total_count", found.TotalCount) != 1 || len(*found.Resources) != 1 {
		t.Fatalf("filter %s", found)
	}
	res := (*found.Resources)[0]
	detail, _ := deref(t, "resource_detail", res.ResourceDetail).(map[string]any)
	if deref(t, "resource_id", res.ResourceId) != "etl/app.jar" || deref(t, "resource_name", res.ResourceName) != "app.jar" ||
		detail["group_name"] != "etl" || detail["owner"] != "bob_1" || len(deref(t, "tags", res.Tags).([]any)) != 2 {
		t.Fatalf("filtered resource %s", res)
	}
	limit := int32(1)
	all, err := c.ListResourcesByTags(&model.ListResourcesByTagsRequest{ResourceType: model.GetListResourcesByTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		Limit: &limit, Offset: &limit, Body: &model.ListResourcesByTagsRequestBody{}})
	if err != nil {
		t.Fatal(err)
	}
	if *all.TotalCount != 5 || len(*all.Resources) != 1 || *(*all.Resources)[0].ResourceId != "etl/app.jar" {
		t.Fatalf("second page of everything: %s", all)
	}
	withoutTags := true
	count, err := c.CountResourcesByTags(&model.CountResourcesByTagsRequest{ResourceType: model.GetCountResourcesByTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		Body: &model.CountResourcesByTagsRequestBody{WithoutAnyTag: &withoutTags}})
	if err != nil {
		t.Fatal(err)
	}
	if deref(t, "total_count", count.TotalCount) != 3 {
		t.Fatalf("count without tags %s", count)
	}
	deleted, err := c.BatchDeleteResourceTags(&model.BatchDeleteResourceTagsRequest{ResourceType: model.GetBatchDeleteResourceTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		ResourceId: "etl/app.jar", Body: &model.BatchDeleteResourceTagsRequestBody{Tags: []model.Tag{{Key: "team", Value: "data"}, {Key: "missing", Value: ""}}}})
	if err != nil || deleted.HttpStatusCode != 204 {
		t.Fatalf("delete tags: %v", err)
	}
	if tags, err = c.ShowResourceTags(&model.ShowResourceTagsRequest{ResourceType: model.GetShowResourceTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		ResourceId: "etl/app.jar"}); err != nil || *tags.Count != 1 {
		t.Fatalf("after delete tags: %v %s", err, tags)
	}

	// DeleteJobResource: 200 with no body; the last package takes its group along; then 404.
	del, err := c.DeleteJobResource(&model.DeleteJobResourceRequest{ResourceName: "lookup.csv", Group: str("data")})
	if err != nil || del.HttpStatusCode != 200 {
		t.Fatalf("delete: %v", err)
	}
	// (Through the other client: the same delete signed again within the second would be a replay.)
	_, err = byName.DeleteJobResource(&model.DeleteJobResourceRequest{ResourceName: "lookup.csv", Group: str("data")})
	sdkError(t, err, 404, "DLI.0002")
	if list, err = c.ListJobResources(&model.ListJobResourcesRequest{}); err != nil || *list.Total != 4 || len(*list.Groups) != 2 {
		t.Fatalf("after delete: %v %s", err, list)
	}
}
