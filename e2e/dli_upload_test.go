//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/sluicetest"
)

// TestDLI_Upload: the DLI client uploads files from an import directory into the real resource centre,
// synchronously and asynchronously, and every API reads and changes what it stored.
func TestDLI_Upload(t *testing.T) {
	root := t.TempDir()
	files := map[string][]byte{"app.jar": []byte("PK\x03\x04 a jar"), "util.py": []byte("print('hi')\n"), "late.jar": bytes.Repeat([]byte("x"), 1<<20)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(root, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{root}})
	ctx := t.Context()
	admin := srv.Client()
	p, err := admin.CreateProject(ctx, "dli_upload", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateUser(ctx, "bob_dev", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutMember(ctx, p.Name, "bob_dev", "developer"); err != nil {
		t.Fatal(err)
	}
	c := dliClient(t, srv, srv.AccessKeyID, srv.AccessKeySecret, p.UUID)
	src := func(name string) string { return "file://" + filepath.Join(root, name) }

	up, err := c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
		Paths: []string{src("app.jar")}, Kind: "jar", Group: "etl", Tags: &[]model.Tag{{Key: "env", Value: "dev"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if *up.Status != "READY" || *up.IsAsync || len(*up.Details) != 1 || *(*up.Details)[0].Status != "READY" ||
		*up.Owner != "root" || *up.GroupName != "etl" {
		t.Fatalf("sync upload: %s", up)
	}
	py, err := c.UploadPythonFileJobResources(&model.UploadPythonFileJobResourcesRequest{
		Body: &model.UploadResourcesRequestBody{Paths: []string{src("util.py")}, Group: "etl"}})
	if err != nil {
		t.Fatal(err)
	}
	if *py.ModuleType != "pyFile" || *py.ModuleName != "etl" || *(*py.Details)[0].Status != "READY" {
		t.Fatalf("pyfile upload: %s", py)
	}

	// Asynchronous: UPLOADING at once, READY once the job ran.
	async := true
	late, err := c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
		Paths: []string{src("late.jar")}, Kind: "jar", Group: "later", IsAsync: &async}})
	if err != nil {
		t.Fatal(err)
	}
	if !*late.IsAsync || *(*late.Details)[0].Status != "UPLOADING" {
		t.Fatalf("async upload: %s", late)
	}
	group := "later"
	deadline := time.Now().Add(30 * time.Second)
	for {
		show, err := c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "late.jar", Group: &group})
		if err != nil {
			t.Fatal(err)
		}
		if *show.Status == "READY" {
			break
		}
		if *show.Status != "UPLOADING" || time.Now().After(deadline) {
			t.Fatalf("async upload ends %s", show)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var got bytes.Buffer
	if _, _, err := admin.DownloadResource(ctx, p.Name, "later", "late.jar", &got); err != nil || !bytes.Equal(got.Bytes(), files["late.jar"]) {
		t.Fatalf("the stored bytes differ (%d of %d): %v", got.Len(), len(files["late.jar"]), err)
	}

	list, err := c.ListJobResources(&model.ListJobResourcesRequest{Kind: str("pyfile")})
	if err != nil {
		t.Fatal(err)
	}
	if *list.Total != 1 || len(*list.Groups) != 1 || !slices.Equal(*(*list.Groups)[0].Resources, []string{"util.py"}) || len(*list.Modules) == 0 {
		t.Fatalf("kind=pyfile: %s", list)
	}
	if list, err = c.ListJobResources(&model.ListJobResourcesRequest{Tags: str("env=dev")}); err != nil || *list.Total != 1 {
		t.Fatalf("tags=env=dev: %v %s", err, list)
	}

	// Owner, tags, delete.
	app := "app.jar"
	if _, err := c.UpdateJobResourceOwner(&model.UpdateJobResourceOwnerRequest{Body: &model.UpdateJobResourceOwnerRequestBody{
		NewOwner: "bob_dev", GroupName: "etl", ResourceName: &app}}); err != nil {
		t.Fatal(err)
	}
	etl := "etl"
	if show, err := c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: "app.jar", Group: &etl}); err != nil || *show.Owner != "bob_dev" {
		t.Fatalf("owner: %v %s", err, show)
	}
	if _, err := c.BatchCreateResourceTags(&model.BatchCreateResourceTagsRequest{ResourceType: model.GetBatchCreateResourceTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		ResourceId: "etl/util.py", Body: &model.BatchCreateResourceTagsRequestBody{Tags: []model.Tag{{Key: "env", Value: "prod"}}}}); err != nil {
		t.Fatal(err)
	}
	keys, err := c.ListResourcesTags(&model.ListResourcesTagsRequest{ResourceType: model.GetListResourcesTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE})
	if err != nil || *keys.Count != 1 || !slices.Equal((*keys.Tags)[0].Values, []string{"dev", "prod"}) {
		t.Fatalf("tag keys: %v %s", err, keys)
	}
	count, err := c.CountResourcesByTags(&model.CountResourcesByTagsRequest{ResourceType: model.GetCountResourcesByTagsRequestResourceTypeEnum().DLI_PACKAGE_RESOURCE,
		Body: &model.CountResourcesByTagsRequestBody{Tags: &[]model.TagWithValues{{Key: "env", Values: []string{}}}}})
	if err != nil || *count.TotalCount != 2 {
		t.Fatalf("count env: %v %s", err, count)
	}
	if _, err := c.DeleteJobResource(&model.DeleteJobResourceRequest{ResourceName: "late.jar", Group: &group}); err != nil {
		t.Fatal(err)
	}
	if list, err = c.ListJobResources(&model.ListJobResourcesRequest{}); err != nil || *list.Total != 2 || len(*list.Groups) != 1 {
		t.Fatalf("after delete: %v %s", err, list)
	}

	// A path outside the import directory is refused, and nothing is added.
	_, err = c.UploadJarJobResources(&model.UploadJarJobResourcesRequest{Body: &model.UploadResourcesRequestBody{
		Paths: []string{"file:///etc/passwd.jar"}, Group: "etl"}})
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) || se.StatusCode/100 != 4 || !strings.HasPrefix(se.ErrorCode, "DLI.") {
		t.Fatalf("a file outside the import root: %v", err)
	}
	t.Logf("outside the import root: %d %s %s", se.StatusCode, se.ErrorCode, se.ErrorMessage)
	if list, err = c.ListJobResources(&model.ListJobResourcesRequest{}); err != nil || *list.Total != 2 {
		t.Fatalf("after the refused upload: %v %s", err, list)
	}
}

func str(s string) *string { return &s }
