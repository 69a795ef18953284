package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
)

// TestDataWorks_ListFiles_ACS3 calls ListFiles through darabonba-openapi v2 (ACS3 signature, form body),
// as the new SDK's generated client does, and checks the JSON types it decodes.
func TestDataWorks_ListFiles_ACS3(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	w := &workspace{t: t, dw: dw, name: "acs3_dw"}
	cp := dataworks.CreateCreateProjectRequest()
	cp.ProjectIdentifier = w.name
	w.id = must(dw.CreateProject(cp))(t).Data
	w.createBusiness("sales")
	var ids []int64
	for i := range 5 {
		ids = append(ids, w.createFile("业务流程/sales/MaxCompute/ods", fmt.Sprintf("ods_%d", i), 10, fmt.Sprintf("select %d;", i)))
	}
	shell := w.createFile("业务流程/sales/MaxCompute/ods", "load", 6, "echo load")

	c := daraClient(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, "")
	call := func(body map[string]any) (map[string]any, error) {
		out, err := c.CallApi(rpcParams("ListFiles"), &openapiutil.OpenApiRequest{Body: body}, &dara.RuntimeOptions{})
		if err != nil {
			return nil, err
		}
		return out["body"].(map[string]any), nil
	}
	body, err := call(map[string]any{"ProjectIdentifier": w.name, "FileFolderPath": "业务流程/sales/MaxCompute/ods", "FileTypes": "10",
		"Keyword": "ods", "PageNumber": 2, "PageSize": 2, "NeedContent": true, "NeedAbsoluteFolderPath": true})
	if err != nil {
		t.Fatal(err)
	}
	data := body["Data"].(map[string]any)
	files, isArray := data["Files"].([]any)
	if !isArray || len(files) != 2 || fmt.Sprint(data["TotalCount"]) != "5" || body["Success"] != true || body["RequestId"] == "" {
		t.Fatalf("ListFiles = %v", body)
	}
	f := files[0].(map[string]any)
	if fmt.Sprint(f["FileId"]) != fmt.Sprint(ids[2]) || f["Content"] != "select 2;" || f["AbsoluteFolderPath"] != "业务流程/sales/MaxCompute/ods" {
		t.Fatalf("file = %v", f)
	}
	// Typing of alibaba-rpc.md §8: account ids and the folder id are strings, ids and times numbers.
	for _, k := range []string{"Owner", "CreateUser", "LastEditUser", "FileFolderId", "UseType"} {
		if _, ok := f[k].(string); !ok {
			t.Fatalf("%s = %#v, want a string", k, f[k])
		}
	}
	for _, k := range []string{"FileId", "FileType", "CreateTime", "LastEditTime", "BusinessId", "ParentId", "CommitStatus"} {
		if _, ok := f[k].(json.Number); !ok {
			if _, ok := f[k].(float64); !ok {
				if _, ok := f[k].(int64); !ok {
					t.Fatalf("%s = %#v (%T), want a number", k, f[k], f[k])
				}
			}
		}
	}
	body, err = call(map[string]any{"ProjectId": w.id, "FileIdIn": fmt.Sprintf("%d,%d", ids[0], shell), "FileTypes": "6"})
	if err != nil {
		t.Fatal(err)
	}
	if files := body["Data"].(map[string]any)["Files"].([]any); len(files) != 1 || fmt.Sprint(files[0].(map[string]any)["FileId"]) != fmt.Sprint(shell) {
		t.Fatalf("FileIdIn+FileTypes = %v", body)
	}
	_, err = call(map[string]any{"ProjectId": w.id, "PageSize": 101})
	if code, status := daraCode(t, err); code != "InvalidParameter" || status != http.StatusBadRequest {
		t.Fatalf("PageSize 101: %s %d", code, status)
	}
	_, err = call(map[string]any{"ProjectIdentifier": "nowhere"})
	if code, status := daraCode(t, err); code != "Forbidden.Access" || status != http.StatusForbidden {
		t.Fatalf("unknown workspace: %s %d", code, status)
	}
}

// TestCLI_FilesPush mirrors a directory of scripts into a folder tree with `sluice files push`, changes
// it, pushes again with --submit, and reads the result with ls, get, submit and deploy.
func TestCLI_FilesPush(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSluice(t)
	srv := newServer(t)
	c := cli{t: t, bin: bin, addr: srv.Endpoint}.as(srv.AccessKeyID, srv.AccessKeySecret)
	if _, err := srv.Client().CreateProject(t.Context(), "push_dw", "", ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ods_orders.sql", "INSERT OVERWRITE TABLE ods_orders SELECT * FROM src;\n")
	write("daily/load.sh", "echo load\n")
	write("daily/report.py", "print('report')\n")
	write("daily/query.hql", "select 1;\n")
	write("README.md", "notes\n")
	write(".git/config", "[core]\n")
	path := "业务流程/sales/MaxCompute/ods"

	type report struct {
		WorkflowCreated bool
		Files           []struct {
			Path, Name, Folder, Action string
			FileType                   int
			FileID                     int64
			Submitted                  bool
			DeploymentID               int64
		}
		Summary map[string]int
	}
	push := func(wantErr bool, args ...string) (report, string) {
		out := c.run(wantErr, append([]string{"files", "push", dir, "--project", "push_dw", "--path", path, "--output", "json"}, args...)...)
		var r report
		if !wantErr {
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("push output %s: %v", out, err)
			}
		}
		return r, out
	}

	if out := c.run(true, "files", "push", dir, "--project", "push_dw", "--path", path); !strings.Contains(out, "--create-workflow") {
		t.Fatalf("push without a workflow: %s", out)
	}
	r, _ := push(false, "--create-workflow", "--type", "hql=227")
	if !r.WorkflowCreated || r.Summary["created"] != 4 || r.Summary["skipped"] != 1 || r.Summary["submitted"] != 0 {
		t.Fatalf("first push: %+v", r)
	}
	byPath := map[string]int64{}
	for _, f := range r.Files {
		byPath[f.Path] = f.FileID
		switch f.Path {
		case "daily/load.sh":
			if f.FileType != 6 || f.Name != "load" || f.Folder != path+"/daily" {
				t.Fatalf("load.sh: %+v", f)
			}
		case "daily/report.py":
			if f.FileType != 1221 {
				t.Fatalf("report.py: %+v", f)
			}
		case "daily/query.hql":
			if f.FileType != 227 {
				t.Fatalf("query.hql: %+v", f)
			}
		case "README.md":
			if f.Action != "skipped" {
				t.Fatalf("README.md: %+v", f)
			}
		}
	}

	// What the SDK sees.
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	lf := dataworks.CreateListFilesRequest()
	lf.ProjectIdentifier, lf.FileFolderPath, lf.NeedContent = "push_dw", path+"/daily", requests.NewBoolean(true)
	if d := must(dw.ListFiles(lf))(t).Data; d.TotalCount != 3 || d.Files[0].FileName != "load" || d.Files[0].Content != "echo load\n" {
		t.Fatalf("pushed files: %+v", d)
	}

	// Unchanged files stay; a changed one is updated and, with --submit, committed with every draft.
	write("daily/load.sh", "echo load v2\n")
	write("daily/extra/new.sql", "select 2;\n")
	r, _ = push(false, "--type", "hql=227", "--submit")
	if r.Summary["created"] != 1 || r.Summary["updated"] != 1 || r.Summary["unchanged"] != 3 || r.Summary["submitted"] != 5 {
		t.Fatalf("second push: %+v", r)
	}
	for _, f := range r.Files {
		if f.Action != "skipped" && (!f.Submitted || f.DeploymentID == 0) {
			t.Fatalf("not submitted: %+v", f)
		}
	}
	r, _ = push(false, "--type", "hql=227", "--submit")
	if r.Summary["unchanged"] != 5 || r.Summary["submitted"] != 0 {
		t.Fatalf("third push: %+v", r)
	}

	// A type conflict changes nothing.
	write("ods_orders.sql", "changed\n")
	if _, out := push(true, "--type", "hql=227", "--type", "sql=1093"); !strings.Contains(out, "type conflicts") {
		t.Fatalf("conflicting push: %s", out)
	}
	load := byPath["daily/load.sh"]
	if out := c.run(false, "files", "get", fmt.Sprint(byPath["ods_orders.sql"]), "--project", "push_dw", "--content"); !strings.Contains(out, "FROM src") {
		t.Fatalf("conflicting push changed the file: %s", out)
	}

	if out := c.run(false, "files", "ls", "--project", "push_dw", "--path", path+"/daily"); !strings.Contains(out, "load") ||
		!strings.Contains(out, "committed") || !strings.Contains(out, "report") {
		t.Fatalf("ls: %s", out)
	}
	var detail struct{ File struct{ CurrentVersion int } }
	if err := json.Unmarshal([]byte(c.run(false, "files", "get", fmt.Sprint(load), "--project", "push_dw", "--output", "json")), &detail); err != nil ||
		detail.File.CurrentVersion != 1 {
		t.Fatalf("get: %+v %v", detail, err)
	}
	if out := c.run(false, "files", "deploy", fmt.Sprint(load), "--project", "push_dw"); !strings.Contains(out, fmt.Sprint(load)) {
		t.Fatalf("deploy: %s", out)
	}
	gn := dataworks.CreateGetFileRequest()
	gn.ProjectIdentifier, gn.FileId = "push_dw", requests.NewInteger64(load)
	node := must(dw.GetFile(gn))(t).Data.File.NodeId
	n := dataworks.CreateGetNodeRequest()
	n.NodeId, n.ProjectEnv = requests.NewInteger64(node), "PROD"
	if got := must(dw.GetNode(n))(t).Data; got.ProgramType != "DIDE_SHELL" {
		t.Fatalf("PROD node: %+v", got)
	}
	if out := c.run(true, "files", "get", "999999", "--project", "push_dw"); !strings.Contains(out, "InvalidParameter.NotExist") {
		t.Fatalf("get unknown: %s", out)
	}
}
