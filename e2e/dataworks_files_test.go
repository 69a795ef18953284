package e2e

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
)

// workspace is a project served to the old SDK's DataWorks client.
type workspace struct {
	t    *testing.T
	dw   *dataworks.Client
	id   int64
	name string
}

// newWorkspace starts a server and creates one project in it.
func newWorkspace(t *testing.T, name string) *workspace {
	t.Helper()
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	req := dataworks.CreateCreateProjectRequest()
	req.ProjectIdentifier = name
	resp, err := dw.CreateProject(req)
	if err != nil {
		t.Fatal(err)
	}
	return &workspace{t: t, dw: dw, id: resp.Data, name: name}
}

func (w *workspace) pid() requests.Integer { return requests.NewInteger64(w.id) }

// oldErr returns the code and HTTP status of an old-SDK server error.
func oldErr(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want a server error, got %v", err)
	}
	return se.ErrorCode(), se.HttpStatus()
}

// wantErr checks a refused call: its code and a 4xx status.
func wantErr(t *testing.T, what string, err error, code string) {
	t.Helper()
	got, status := oldErr(t, err)
	if got != code || status < 400 || status > 499 {
		t.Fatalf("%s: got %s (HTTP %d), want %s with a 4xx status", what, got, status, code)
	}
}

// must returns a call's value, failing the test on its error: must(dw.GetFile(req))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (w *workspace) createBusiness(name string) int64 {
	w.t.Helper()
	req := dataworks.CreateCreateBusinessRequest()
	req.ProjectId, req.BusinessName = w.pid(), name
	return must(w.dw.CreateBusiness(req))(w.t).BusinessId
}

func (w *workspace) createFolder(path string) string {
	w.t.Helper()
	req := dataworks.CreateCreateFolderRequest()
	req.ProjectIdentifier, req.FolderPath = w.name, path
	return must(w.dw.CreateFolder(req))(w.t).Data
}

func (w *workspace) createFile(folder, name string, typ int, content string) int64 {
	w.t.Helper()
	req := dataworks.CreateCreateFileRequest()
	req.ProjectId, req.FileFolderPath, req.FileName, req.FileType, req.Content = w.pid(), folder, name, requests.NewInteger(typ), content
	req.CreateFolderIfNotExists = requests.NewBoolean(true)
	return must(w.dw.CreateFile(req))(w.t).Data
}

func (w *workspace) getFile(id int64) dataworks.Data {
	w.t.Helper()
	req := dataworks.CreateGetFileRequest()
	req.ProjectId, req.FileId = w.pid(), requests.NewInteger64(id)
	return must(w.dw.GetFile(req))(w.t).Data
}

func (w *workspace) submit(id int64) int64 {
	w.t.Helper()
	req := dataworks.CreateSubmitFileRequest()
	req.ProjectId, req.FileId, req.Comment = w.pid(), requests.NewInteger64(id), "commit"
	return must(w.dw.SubmitFile(req))(w.t).Data
}

// listFolders lists the ids of the direct sub-folders of parent.
func (w *workspace) listFolders(parent string) []string {
	w.t.Helper()
	req := dataworks.CreateListFoldersRequest()
	req.ProjectId, req.ParentFolderPath, req.PageNumber, req.PageSize = w.pid(), parent, requests.NewInteger(1), requests.NewInteger(100)
	var ids []string
	for _, f := range must(w.dw.ListFolders(req))(w.t).Data.Folders {
		ids = append(ids, f.FolderId)
	}
	return ids
}

func (w *workspace) listFiles(set func(r *dataworks.ListFilesRequest)) dataworks.Data {
	w.t.Helper()
	req := dataworks.CreateListFilesRequest()
	req.ProjectId = w.pid()
	if set != nil {
		set(req)
	}
	return must(w.dw.ListFiles(req))(w.t).Data
}

// TestDataWorks_Workflows drives CreateBusiness, GetBusiness, ListBusiness, UpdateBusiness and
// DeleteBusiness through the old SDK.
func TestDataWorks_Workflows(t *testing.T) {
	w := newWorkspace(t, "wf_dw")
	create := dataworks.CreateCreateBusinessRequest()
	create.ProjectIdentifier, create.BusinessName, create.Description, create.UseType = w.name, "sales", "sales flows", "MANUAL_BIZ"
	resp := must(w.dw.CreateBusiness(create))(t)
	if !resp.Success || resp.BusinessId <= 0 || resp.HttpStatusCode != 200 {
		t.Fatalf("CreateBusiness = %+v", resp)
	}
	sales := resp.BusinessId
	for _, name := range []string{"ads", "ods_logs", "ods_users"} {
		w.createBusiness(name)
	}

	get := dataworks.CreateGetBusinessRequest()
	get.ProjectId, get.BusinessId = w.pid(), requests.NewInteger64(sales)
	d := must(w.dw.GetBusiness(get))(t).Data
	if d.BusinessId != sales || d.BusinessName != "sales" || d.Description != "sales flows" || d.UseType != "MANUAL_BIZ" ||
		d.ProjectId != strconv.FormatInt(w.id, 10) || d.Owner == "" {
		t.Fatalf("GetBusiness = %+v", d)
	}
	if _, err := strconv.ParseInt(d.Owner, 10, 64); err != nil {
		t.Fatalf("Owner %q is not a user id", d.Owner)
	}

	list := dataworks.CreateListBusinessRequest()
	list.ProjectId, list.Keyword, list.PageNumber, list.PageSize = w.pid(), "ods", requests.NewInteger(1), requests.NewInteger(1)
	page := must(w.dw.ListBusiness(list))(t).Data
	if page.TotalCount != 2 || len(page.Business) != 1 || page.Business[0].ProjectId != w.id || !strings.Contains(page.Business[0].BusinessName, "ods") {
		t.Fatalf("ListBusiness = %+v", page)
	}

	update := dataworks.CreateUpdateBusinessRequest()
	update.ProjectId, update.BusinessId, update.BusinessName, update.Description = w.pid(), requests.NewInteger64(sales), "sales_v2", "renamed"
	if r := must(w.dw.UpdateBusiness(update))(t); !r.Success {
		t.Fatalf("UpdateBusiness = %+v", r)
	}
	if d := must(w.dw.GetBusiness(get))(t).Data; d.BusinessName != "sales_v2" || d.Description != "renamed" {
		t.Fatalf("after update: %+v", d)
	}

	t.Run("DeleteNonEmptyRefused", func(t *testing.T) {
		w.createFolder("业务流程/ads/MaxCompute/dws")
		del := dataworks.CreateDeleteBusinessRequest()
		del.ProjectId, del.BusinessId = w.pid(), requests.NewInteger64(w.lookupBusiness("ads"))
		_, err := w.dw.DeleteBusiness(del)
		wantErr(t, "delete non-empty workflow", err, "InvalidParameter.Conflict")
	})
	t.Run("Delete", func(t *testing.T) {
		del := dataworks.CreateDeleteBusinessRequest()
		del.ProjectIdentifier, del.BusinessId = w.name, requests.NewInteger64(sales)
		must(w.dw.DeleteBusiness(del))(t)
		_, err := w.dw.GetBusiness(get)
		wantErr(t, "get deleted", err, "InvalidParameter.NotExist")
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		before := w.businessCount()
		// The old SDK keeps a parameter once sent, so each call gets a fresh request.
		create := func(set func(c *dataworks.CreateBusinessRequest)) error {
			c := dataworks.CreateCreateBusinessRequest()
			c.ProjectId, c.BusinessName = w.pid(), "fresh"
			set(c)
			_, err := w.dw.CreateBusiness(c)
			return err
		}
		wantErr(t, "duplicate name", create(func(c *dataworks.CreateBusinessRequest) { c.BusinessName = "ads" }), "InvalidParameter.Conflict")
		wantErr(t, "bad UseType", create(func(c *dataworks.CreateBusinessRequest) { c.UseType = "SKIP" }), "InvalidParameter")
		wantErr(t, "non-numeric owner", create(func(c *dataworks.CreateBusinessRequest) { c.Owner = "alice" }), "InvalidParameter")
		wantErr(t, "owner who is no user", create(func(c *dataworks.CreateBusinessRequest) { c.Owner = "424242" }), "InvalidParameter")
		wantErr(t, "unknown workspace", create(func(c *dataworks.CreateBusinessRequest) { c.ProjectId = requests.NewInteger(987654) }), "Forbidden.Access")
		wantErr(t, "no workspace", create(func(c *dataworks.CreateBusinessRequest) { c.ProjectId = "" }), "MissingProjectId")
		wantErr(t, "no name", create(func(c *dataworks.CreateBusinessRequest) { c.BusinessName = "" }), "MissingBusinessName")
		var err error
		g := dataworks.CreateGetBusinessRequest()
		g.ProjectId, g.BusinessId = w.pid(), "12x"
		_, err = w.dw.GetBusiness(g)
		wantErr(t, "malformed id", err, "InvalidParameter")
		l := dataworks.CreateListBusinessRequest()
		l.ProjectId, l.PageSize = w.pid(), requests.NewInteger(101)
		_, err = w.dw.ListBusiness(l)
		wantErr(t, "PageSize 101", err, "InvalidParameter")
		if after := w.businessCount(); after != before {
			t.Fatalf("refused requests changed the workflows: %d -> %d", before, after)
		}
	})
}

func (w *workspace) lookupBusiness(name string) int64 {
	w.t.Helper()
	list := dataworks.CreateListBusinessRequest()
	list.ProjectId, list.Keyword, list.PageSize = w.pid(), name, requests.NewInteger(100)
	for _, b := range must(w.dw.ListBusiness(list))(w.t).Data.Business {
		if b.BusinessName == name {
			return b.BusinessId
		}
	}
	w.t.Fatalf("no workflow %s", name)
	return 0
}

func (w *workspace) businessCount() int {
	w.t.Helper()
	list := dataworks.CreateListBusinessRequest()
	list.ProjectId = w.pid()
	return must(w.dw.ListBusiness(list))(w.t).Data.TotalCount
}

// TestDataWorks_Folders drives the folder actions: both root spellings, listing children, a rename
// that moves the files below it, and the refusal to delete a non-empty folder.
func TestDataWorks_Folders(t *testing.T) {
	w := newWorkspace(t, "folders_dw")
	w.createBusiness("sales")
	ods := w.createFolder("业务流程/sales/MaxCompute/ods")
	if len(ods) != 32 {
		t.Fatalf("folder id %q", ods)
	}
	deep := w.createFolder("Business Flow/sales/MaxCompute/ods/daily") // English root, same tree
	w.createFolder("业务流程/sales/MaxCompute/dwd")

	get := dataworks.CreateGetFolderRequest()
	get.ProjectId, get.FolderId = w.pid(), ods
	if d := must(w.dw.GetFolder(get))(t).Data; d.FolderId != ods || d.FolderPath != "业务流程/sales/MaxCompute/ods" {
		t.Fatalf("GetFolder by id = %+v", d)
	}
	get = dataworks.CreateGetFolderRequest() // the old SDK keeps a parameter once sent
	get.ProjectId, get.FolderPath = w.pid(), "Business_process/sales/MaxCompute/ods/daily"
	if d := must(w.dw.GetFolder(get))(t).Data; d.FolderId != deep {
		t.Fatalf("GetFolder by path = %+v, want %s", d, deep)
	}

	list := dataworks.CreateListFoldersRequest()
	list.ProjectId, list.ParentFolderPath = w.pid(), "业务流程/sales/MaxCompute"
	list.PageNumber, list.PageSize = requests.NewInteger(1), requests.NewInteger(10)
	page := must(w.dw.ListFolders(list))(t).Data
	var paths []string
	for _, f := range page.Folders {
		paths = append(paths, f.FolderPath)
	}
	if page.TotalCount != 2 || !slices.Contains(paths, "业务流程/sales/MaxCompute/ods") || !slices.Contains(paths, "业务流程/sales/MaxCompute/dwd") {
		t.Fatalf("ListFolders = %+v", page)
	}

	file := w.createFile("业务流程/sales/MaxCompute/ods/daily", "ods_orders", 10, "select 1;")

	t.Run("RenameMovesFiles", func(t *testing.T) {
		up := dataworks.CreateUpdateFolderRequest()
		up.ProjectId, up.FolderId, up.FolderName = w.pid(), ods, "ods_layer"
		must(w.dw.UpdateFolder(up))(t)
		f := w.getFile(file).File
		if f.AbsoluteFolderPath != "Business Flow/sales/MaxCompute/ods_layer/daily" || f.FileFolderId != deep { // the path keeps the root spelling it was created with
			t.Fatalf("after rename the file is at %q (folder %s)", f.AbsoluteFolderPath, f.FileFolderId)
		}
		d := w.listFiles(func(r *dataworks.ListFilesRequest) {
			r.FileFolderPath = "业务流程/sales/MaxCompute/ods_layer/daily"
		})
		if d.TotalCount != 1 || d.Files[0].FileId != file {
			t.Fatalf("ListFiles in the moved folder = %+v", d)
		}
		get := dataworks.CreateGetFolderRequest()
		get.ProjectId, get.FolderPath = w.pid(), "业务流程/sales/MaxCompute/ods/daily"
		_, err := w.dw.GetFolder(get)
		wantErr(t, "old path", err, "InvalidParameter.NotExist")
	})
	t.Run("DeleteNonEmptyRefused", func(t *testing.T) {
		del := dataworks.CreateDeleteFolderRequest()
		del.ProjectId, del.FolderId = w.pid(), deep
		_, err := w.dw.DeleteFolder(del)
		wantErr(t, "delete folder with a file", err, "InvalidParameter.Conflict")
		del.FolderId = ods
		_, err = w.dw.DeleteFolder(del)
		wantErr(t, "delete folder with a sub-folder", err, "InvalidParameter.Conflict")
		if f := w.getFile(file).File; f.FileFolderId != deep {
			t.Fatalf("refused delete moved the file: %+v", f)
		}
	})
	t.Run("DeleteEmpty", func(t *testing.T) {
		dwd := dataworks.CreateGetFolderRequest()
		dwd.ProjectId, dwd.FolderPath = w.pid(), "业务流程/sales/MaxCompute/dwd"
		id := must(w.dw.GetFolder(dwd))(t).Data.FolderId
		del := dataworks.CreateDeleteFolderRequest()
		del.ProjectId, del.FolderId = w.pid(), id
		must(w.dw.DeleteFolder(del))(t)
		_, err := w.dw.GetFolder(dwd)
		wantErr(t, "deleted folder", err, "InvalidParameter.NotExist")
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		create := func(ws requests.Integer, path string) error {
			c := dataworks.CreateCreateFolderRequest()
			c.ProjectId, c.FolderPath = ws, path
			_, err := w.dw.CreateFolder(c)
			return err
		}
		wantErr(t, "unknown root", create(w.pid(), "Somewhere/sales/MaxCompute/x"), "InvalidParameter")
		wantErr(t, "no kind", create(w.pid(), "业务流程/sales"), "InvalidParameter")
		wantErr(t, "unknown workflow", create(w.pid(), "业务流程/nosuchflow/MaxCompute/x"), "InvalidParameter.NotExist")
		wantErr(t, "no path", create(w.pid(), ""), "MissingFolderPath")
		wantErr(t, "no workspace", create("", "业务流程/sales/MaxCompute/x"), "MissingProjectId")
		wantErr(t, "unknown workspace", create(requests.NewInteger(987654), "业务流程/sales/MaxCompute/x"), "Forbidden.Access")
		// A taken path is refused, in any root spelling; nothing changes.
		before := w.listFolders("业务流程/sales/MaxCompute")
		wantErr(t, "taken path", create(w.pid(), "Business Flow/sales/MaxCompute/ods_layer"), "InvalidParameter.Conflict")
		if after := w.listFolders("业务流程/sales/MaxCompute"); !slices.Equal(after, before) {
			t.Fatalf("a refused CreateFolder changed the folders: %v -> %v", before, after)
		}
		g := dataworks.CreateGetFolderRequest()
		g.ProjectId, g.FolderId = w.pid(), strings.Repeat("0", 32)
		_, err := w.dw.GetFolder(g)
		wantErr(t, "unknown folder", err, "InvalidParameter.NotExist")
		u := dataworks.CreateUpdateFolderRequest()
		u.ProjectId, u.FolderId, u.FolderName = w.pid(), deep, "a/b"
		_, err = w.dw.UpdateFolder(u)
		wantErr(t, "slash in a name", err, "InvalidParameter")
		for _, parent := range []string{"业务流程/nosuchflow", "业务流程/sales/MaxCompute/none"} {
			if got := w.listFolders(parent); len(got) != 0 {
				t.Fatalf("ListFolders %s = %v, want an empty page", parent, got)
			}
		}
		l := dataworks.CreateListFoldersRequest()
		l.ProjectId, l.ParentFolderPath, l.PageSize = w.pid(), "业务流程/sales", requests.NewInteger(500)
		_, err = w.dw.ListFolders(l)
		wantErr(t, "PageSize 500", err, "InvalidParameter")
	})
}

// TestDataWorks_FileLifecycle creates a file with every documented field, reads each back with the type
// the SDK expects, edits, commits, deploys and deletes it, and reads versions, deployments and nodes.
func TestDataWorks_FileLifecycle(t *testing.T) {
	w := newWorkspace(t, "life_dw")
	biz := w.createBusiness("sales")
	start := time.Now().Add(-time.Second).UnixMilli()

	create := dataworks.CreateCreateFileRequest()
	create.ProjectIdentifier = w.name
	create.FileFolderPath = "业务流程/sales/MaxCompute/ods"
	create.CreateFolderIfNotExists = requests.NewBoolean(true)
	create.FileName, create.FileType, create.FileDescription = "ods_orders", requests.NewInteger(10), "orders of the day"
	create.Content = "INSERT OVERWRITE TABLE ods_orders SELECT * FROM src_orders;"
	create.ConnectionName, create.AutoParsing = "odps_first", requests.NewBoolean(true)
	create.AdvancedSettings = `{"queue":"default"}`
	create.CycleType, create.CronExpress, create.SchedulerType = "DAY", "00 05 00 * * ?", "NORMAL"
	create.StartEffectDate, create.EndEffectDate = requests.NewInteger64(1700000000000), requests.NewInteger64(4102444800000)
	create.RerunMode, create.AutoRerunTimes, create.AutoRerunIntervalMillis = "ALL_ALLOWED", requests.NewInteger(3), requests.NewInteger(120000)
	create.Timeout, create.Stop, create.StartImmediately = requests.NewInteger(2), requests.NewBoolean(false), requests.NewBoolean(true)
	create.ApplyScheduleImmediately, create.IgnoreParentSkipRunningProperty = requests.NewBoolean(true), requests.NewBoolean(true)
	create.ParaValue, create.DependentType, create.DependentNodeIdList = "bizdate=$bizdate", "USER_DEFINE", "1001,1002"
	create.InputList = "life_dw_root,life_dw.src_orders"
	create.InputParameters = `[{"ParameterName":"in1","ValueSource":"1001:out1"}]`
	create.OutputParameters = `[{"ParameterName":"out1","Type":"1","Value":"${bizdate}","Description":"day"}]`
	create.ResourceGroupIdentifier, create.ImageId = "group_1", "image_1"
	resp := must(w.dw.CreateFile(create))(t)
	id := resp.Data
	if !resp.Success || id <= 0 {
		t.Fatalf("CreateFile = %+v", resp)
	}

	d := w.getFile(id)
	f, nc := d.File, d.NodeConfiguration
	owner := f.Owner
	if _, err := strconv.ParseInt(owner, 10, 64); err != nil {
		t.Fatalf("Owner %q is not a user id", owner)
	}
	if f.FileId != id || f.FileName != "ods_orders" || f.FileType != 10 || f.FileDescription != "orders of the day" ||
		f.Content != create.Content || f.ConnectionName != "odps_first" || !f.AutoParsing || f.UseType != "NORMAL" ||
		f.CommitStatus != 0 || f.CurrentVersion != 0 || f.NodeId != 0 || f.ParentId != -1 || f.BusinessId != biz || f.BizId != biz ||
		f.CreateUser != owner || f.LastEditUser != owner || f.CreateTime < start || f.LastEditTime < f.CreateTime ||
		f.AbsoluteFolderPath != "业务流程/sales/MaxCompute/ods" || len(f.FileFolderId) != 32 || f.DeletedStatus != "NORMAL" ||
		f.AdvancedSettings != `{"queue":"default"}` || f.IsMaxCompute {
		t.Fatalf("GetFile File = %+v", f)
	}
	if nc.CycleType != "DAY" || nc.CronExpress != "00 05 00 * * ?" || nc.SchedulerType != "NORMAL" || nc.StartEffectDate != 1700000000000 ||
		nc.EndEffectDate != 4102444800000 || nc.RerunMode != "ALL_ALLOWED" || nc.AutoRerunTimes != 3 || nc.AutoRerunIntervalMillis != 120000 ||
		nc.Timeout != 2 || nc.Stop || !nc.StartImmediately || nc.ApplyScheduleImmediately != "true" || nc.IgnoreParentSkipRunningProperty != "true" ||
		nc.ParaValue != "bizdate=$bizdate" || nc.DependentType != "USER_DEFINE" || nc.DependentNodeIdList != "1001,1002" || nc.ImageId != "image_1" ||
		len(nc.InputList) != 2 || nc.InputList[1].Input != "life_dw.src_orders" ||
		len(nc.InputParameters) != 1 || nc.InputParameters[0].ValueSource != "1001:out1" ||
		len(nc.OutputParameters) != 1 || nc.OutputParameters[0].Type != "1" || nc.OutputParameters[0].Value != "${bizdate}" {
		t.Fatalf("GetFile NodeConfiguration = %+v", nc)
	}
	if d.ResourceDownloadLink.DownloadLink != "" {
		t.Fatalf("download link %q", d.ResourceDownloadLink.DownloadLink)
	}

	// Commit: version 1, a DEV node, CommitStatus 1.
	dep1 := w.submit(id)
	f = w.getFile(id).File
	if dep1 <= 0 || f.CommitStatus != 1 || f.CurrentVersion != 1 || f.NodeId <= 0 {
		t.Fatalf("after SubmitFile (deployment %d): %+v", dep1, f)
	}
	nodeID := f.NodeId
	gd := dataworks.CreateGetDeploymentRequest()
	gd.ProjectId, gd.DeploymentId = w.pid(), requests.NewInteger64(dep1)
	dd := must(w.dw.GetDeployment(gd))(t).Data
	if dd.Deployment.Status != 1 || dd.Deployment.CreatorId != owner || dd.Deployment.CreateTime < start ||
		len(dd.DeployedItems) != 1 || dd.DeployedItems[0].FileId != id || dd.DeployedItems[0].FileVersion != 1 {
		t.Fatalf("GetDeployment (submit) = %+v", dd)
	}

	// Editing after a commit sets CommitStatus back to 0; a schedule edit keeps the other schedule fields.
	up := dataworks.CreateUpdateFileRequest()
	up.ProjectId, up.FileId = w.pid(), requests.NewInteger64(id)
	up.Content, up.CronExpress = "INSERT OVERWRITE TABLE ods_orders SELECT id FROM src_orders;", "00 30 01 * * ?"
	up.OutputList = "life_dw.ods_orders"
	must(w.dw.UpdateFile(up))(t)
	d = w.getFile(id)
	if d.File.CommitStatus != 0 || d.File.CurrentVersion != 1 || d.File.Content != up.Content ||
		d.NodeConfiguration.CronExpress != "00 30 01 * * ?" || d.NodeConfiguration.AutoRerunTimes != 3 ||
		len(d.NodeConfiguration.OutputList) != 1 || d.NodeConfiguration.OutputList[0].Output != "life_dw.ods_orders" {
		t.Fatalf("after UpdateFile: %+v %+v", d.File, d.NodeConfiguration)
	}
	if got := w.listFiles(func(r *dataworks.ListFilesRequest) { r.CommitStatus = requests.NewInteger(0) }); got.TotalCount != 1 {
		t.Fatalf("uncommitted files: %+v", got)
	}
	dep2 := w.submit(id)
	if dep2 == dep1 || w.getFile(id).File.CurrentVersion != 2 {
		t.Fatalf("second commit: deployment %d", dep2)
	}

	t.Run("Versions", func(t *testing.T) {
		lv := dataworks.CreateListFileVersionsRequest()
		lv.ProjectId, lv.FileId, lv.PageSize = w.pid(), requests.NewInteger64(id), requests.NewInteger(10)
		page := must(w.dw.ListFileVersions(lv))(t).Data
		if page.TotalCount != 2 || len(page.FileVersions) != 2 {
			t.Fatalf("ListFileVersions = %+v", page)
		}
		gv := dataworks.CreateGetFileVersionRequest()
		gv.ProjectId, gv.FileId, gv.FileVersion = w.pid(), requests.NewInteger64(id), requests.NewInteger(1)
		v := must(w.dw.GetFileVersion(gv))(t).Data
		if v.FileVersion != 1 || v.FileContent != create.Content || v.ChangeType != "CREATE" || v.CommitUser != owner ||
			v.CommitTime < start || v.NodeId != nodeID || v.FileName != "ods_orders" || v.Comment != "commit" || v.Status == "" {
			t.Fatalf("GetFileVersion 1 = %+v", v)
		}
		gv.FileVersion = requests.NewInteger(2)
		if v := must(w.dw.GetFileVersion(gv))(t).Data; v.ChangeType != "UPDATE" || v.FileContent != up.Content || v.IsCurrentProd {
			t.Fatalf("GetFileVersion 2 = %+v", v)
		}
		gv.FileVersion = requests.NewInteger(3)
		_, err := w.dw.GetFileVersion(gv)
		wantErr(t, "unknown version", err, "InvalidParameter.NotExist")
	})

	t.Run("NodesAndDeploy", func(t *testing.T) {
		gn := dataworks.CreateGetNodeRequest()
		gn.NodeId, gn.ProjectEnv = requests.NewInteger64(nodeID), "DEV"
		n := must(w.dw.GetNode(gn))(t).Data
		if n.NodeId != nodeID || n.NodeName != "ods_orders" || n.ProjectId != w.id || n.BusinessId != biz || n.FileId != id ||
			n.FileType != 10 || n.FileVersion != 2 || n.ProgramType != "ODPS_SQL" || n.OwnerId != owner || n.CronExpress != "00 30 01 * * ?" ||
			n.Repeatability != "true" || n.RepeatMode != 1 || n.Connection != "odps_first" || n.ParamValues != "bizdate=$bizdate" {
			t.Fatalf("GetNode DEV = %+v", n)
		}
		gn.ProjectEnv = "PROD"
		_, err := w.dw.GetNode(gn)
		wantErr(t, "PROD before deploy", err, "InvalidParameter.NotExist")

		deploy := dataworks.CreateDeployFileRequest()
		deploy.ProjectId, deploy.NodeId, deploy.Comment = w.pid(), requests.NewInteger64(nodeID), "go live"
		dep := must(w.dw.DeployFile(deploy))(t).Data
		gd := dataworks.CreateGetDeploymentRequest()
		gd.ProjectIdentifier, gd.DeploymentId = w.name, requests.NewInteger64(dep)
		dd := must(w.dw.GetDeployment(gd))(t).Data
		if dep <= 0 || dd.Deployment.ToEnvironment != 2 || dd.Deployment.FromEnvironment != 1 || dd.Deployment.Status != 1 ||
			len(dd.DeployedItems) != 1 || dd.DeployedItems[0].FileVersion != 2 {
			t.Fatalf("GetDeployment (deploy %d) = %+v", dep, dd)
		}
		if n := must(w.dw.GetNode(gn))(t).Data; n.FileVersion != 2 || n.NodeId != nodeID || n.DeployDate == 0 {
			t.Fatalf("GetNode PROD = %+v", n)
		}
		gv := dataworks.CreateGetFileVersionRequest()
		gv.ProjectId, gv.FileId, gv.FileVersion = w.pid(), requests.NewInteger64(id), requests.NewInteger(2)
		if v := must(w.dw.GetFileVersion(gv))(t).Data; !v.IsCurrentProd {
			t.Fatalf("deployed version = %+v", v)
		}
		for _, env := range []string{"DEV", "PROD"} {
			ln := dataworks.CreateListNodesRequest()
			ln.ProjectId, ln.ProjectEnv, ln.ProgramType, ln.BizName = w.pid(), env, "ODPS_SQL", "sales"
			page := must(w.dw.ListNodes(ln))(t).Data
			if page.TotalCount != 1 || len(page.Nodes) != 1 || page.Nodes[0].NodeId != nodeID || !page.Nodes[0].Repeatability ||
				page.Nodes[0].ProgramType != "ODPS_SQL" || page.Nodes[0].OwnerId != owner {
				t.Fatalf("ListNodes %s = %+v", env, page)
			}
		}
		ln := dataworks.CreateListNodesRequest()
		ln.ProjectId, ln.ProjectEnv, ln.ProgramType = w.pid(), "DEV", "DIDE_SHELL"
		if page := must(w.dw.ListNodes(ln))(t).Data; page.TotalCount != 0 || page.Nodes == nil {
			t.Fatalf("ListNodes shell = %+v", page)
		}
		g := dataworks.CreateGetFileRequest()
		g.ProjectId, g.NodeId = w.pid(), requests.NewInteger64(nodeID)
		if f := must(w.dw.GetFile(g))(t).Data.File; f.FileId != id {
			t.Fatalf("GetFile by NodeId = %+v", f)
		}
	})

	t.Run("InXML", func(t *testing.T) {
		g := dataworks.CreateGetFileRequest()
		g.ProjectId, g.FileId, g.AcceptFormat = w.pid(), requests.NewInteger64(id), "XML"
		r := must(w.dw.GetFile(g))(t)
		if r.Data.File.FileId != id || r.Data.File.Content != up.Content || len(r.Data.NodeConfiguration.InputList) != 2 ||
			r.Data.NodeConfiguration.ApplyScheduleImmediately != "true" {
			t.Fatalf("GetFile (XML) = %+v", r.Data)
		}
	})

	t.Run("ListFileType", func(t *testing.T) {
		lt := dataworks.CreateListFileTypeRequest()
		lt.ProjectId, lt.PageNumber, lt.PageSize, lt.Locale = w.pid(), requests.NewInteger(1), requests.NewInteger(100), "en-US"
		r := must(w.dw.ListFileType(lt))(t)
		l := r.NodeTypeInfoList
		if r.RequestId == "" || l.TotalCount < 27 || len(l.NodeTypeInfo) != l.TotalCount || l.NodeTypeInfo[1].NodeType != 10 || l.NodeTypeInfo[1].NodeTypeName != "ODPS SQL" {
			t.Fatalf("ListFileType = %+v", r)
		}
		lt.Keyword, lt.Locale = "EMR", "zh-CN"
		lt.PageSize = requests.NewInteger(3)
		l = must(w.dw.ListFileType(lt))(t).NodeTypeInfoList
		if l.TotalCount != 8 || len(l.NodeTypeInfo) != 3 {
			t.Fatalf("ListFileType EMR = %+v", l)
		}
		lt.Locale = "fr-FR"
		_, err := w.dw.ListFileType(lt)
		wantErr(t, "bad locale", err, "InvalidParameter")
	})

	t.Run("Delete", func(t *testing.T) {
		draft := w.createFile("业务流程/sales/MaxCompute/ods", "scratch", 6, "echo hi")
		del := dataworks.CreateDeleteFileRequest()
		del.ProjectId, del.FileId = w.pid(), requests.NewInteger64(draft)
		if r := must(w.dw.DeleteFile(del))(t); r.DeploymentId != 0 || !r.Success {
			t.Fatalf("DeleteFile draft = %+v", r)
		}
		del.FileId = requests.NewInteger64(id)
		r := must(w.dw.DeleteFile(del))(t)
		if r.DeploymentId <= 0 {
			t.Fatalf("DeleteFile committed = %+v", r)
		}
		gd := dataworks.CreateGetDeploymentRequest()
		gd.ProjectId, gd.DeploymentId = w.pid(), requests.NewInteger64(r.DeploymentId)
		if dd := must(w.dw.GetDeployment(gd))(t).Data; dd.Deployment.Status != 1 || len(dd.DeployedItems) != 1 || dd.DeployedItems[0].FileId != id {
			t.Fatalf("delete deployment = %+v", dd)
		}
		g := dataworks.CreateGetFileRequest()
		g.ProjectId, g.FileId = w.pid(), requests.NewInteger64(id)
		_, err := w.dw.GetFile(g)
		wantErr(t, "deleted file", err, "InvalidParameter.NotExist")
		gn := dataworks.CreateGetNodeRequest()
		gn.NodeId, gn.ProjectEnv = requests.NewInteger64(nodeID), "PROD"
		_, err = w.dw.GetNode(gn)
		wantErr(t, "node of a deleted file", err, "Forbidden.Access") // a node id alone: gone from both environments
		if d := w.listFiles(nil); d.TotalCount != 0 || d.Files == nil {
			t.Fatalf("files left: %+v", d)
		}
	})
}

// TestDataWorks_ListFiles exercises every filter of ListFiles, paging and XML.
func TestDataWorks_ListFiles(t *testing.T) {
	w := newWorkspace(t, "list_dw")
	w.createBusiness("sales")
	w.createBusiness("ops")
	ods, dwd, ops := "业务流程/sales/MaxCompute/ods", "业务流程/sales/MaxCompute/dwd", "Business Flow/ops/General/scripts"
	var ids []int64
	add := func(folder, name string, typ int) int64 {
		id := w.createFile(folder, name, typ, "-- "+name)
		ids = append(ids, id)
		return id
	}
	for i := range 7 {
		add(ods, fmt.Sprintf("ods_t%02d", i), 10)
	}
	add(dwd, "dwd_orders", 10)
	shell := add(ops, "cleanup", 6)
	py := add(ops, "report_ods", 1221)
	adhoc := add("", "adhoc_query", 10) // at the workspace root
	committed := ids[2]
	w.submit(committed)
	node := w.getFile(committed).File.NodeId
	owner := w.getFile(shell).File.Owner

	t.Run("Paging", func(t *testing.T) {
		var seen []int64
		for page := 1; page <= 3; page++ {
			d := w.listFiles(func(r *dataworks.ListFilesRequest) {
				r.PageNumber, r.PageSize = requests.NewInteger(page), requests.NewInteger(4)
			})
			if d.TotalCount != len(ids) || d.PageNumber != page || d.PageSize != 4 {
				t.Fatalf("page %d: %+v", page, d)
			}
			for _, f := range d.Files {
				seen = append(seen, f.FileId)
				if f.Content != "" || f.AbsoluteFolderPath != "" {
					t.Fatalf("content/path without asking: %+v", f)
				}
			}
		}
		if !slices.Equal(seen, ids) {
			t.Fatalf("pages gave %v, want %v (by id, no gaps or repeats)", seen, ids)
		}
		if d := w.listFiles(nil); d.PageSize != 10 || len(d.Files) != 10 {
			t.Fatalf("default page size: %+v", d.PageSize)
		}
	})

	cases := []struct {
		name string
		set  func(r *dataworks.ListFilesRequest)
		want []int64
	}{
		{"FileFolderPath", func(r *dataworks.ListFilesRequest) { r.FileFolderPath = ops }, []int64{shell, py}},
		{"FileFolderPathOtherRoot", func(r *dataworks.ListFilesRequest) { r.FileFolderPath = "业务流程/sales/MaxCompute/dwd" }, ids[7:8]},
		{"Keyword", func(r *dataworks.ListFilesRequest) { r.Keyword = "ods" }, append(slices.Clone(ids[:7]), py)},
		{"ExactFileName", func(r *dataworks.ListFilesRequest) { r.ExactFileName = "ods_t03" }, ids[3:4]},
		{"FileTypes", func(r *dataworks.ListFilesRequest) { r.FileTypes = "6,1221" }, []int64{shell, py}},
		{"FileIdIn", func(r *dataworks.ListFilesRequest) { r.FileIdIn = fmt.Sprintf("%d,%d,999999", ids[0], adhoc) }, []int64{ids[0], adhoc}},
		{"Owner", func(r *dataworks.ListFilesRequest) { r.Owner, r.FileTypes = owner, "6" }, []int64{shell}},
		{"OwnerOther", func(r *dataworks.ListFilesRequest) { r.Owner = "424242" }, nil},
		// A string filter that names nobody selects nothing; it is not malformed input.
		{"OwnerByName", func(r *dataworks.ListFilesRequest) { r.Owner = "alice" }, nil},
		{"LastEditUserNobody", func(r *dataworks.ListFilesRequest) { r.LastEditUser = "nobody@example" }, nil},
		{"ExactFileNameNobody", func(r *dataworks.ListFilesRequest) { r.ExactFileName = "no such file" }, nil},
		{"KeywordNobody", func(r *dataworks.ListFilesRequest) { r.Keyword = "%%__" }, nil},
		{"FileFolderPathNobody", func(r *dataworks.ListFilesRequest) { r.FileFolderPath = "业务流程/nosuchflow/x" }, nil},
		{"LastEditUser", func(r *dataworks.ListFilesRequest) { r.LastEditUser, r.FileTypes = owner, "1221" }, []int64{py}},
		{"CommitStatus", func(r *dataworks.ListFilesRequest) { r.CommitStatus = requests.NewInteger(1) }, []int64{committed}},
		{"NodeId", func(r *dataworks.ListFilesRequest) { r.NodeId = requests.NewInteger64(node) }, []int64{committed}},
		{"UseType", func(r *dataworks.ListFilesRequest) { r.UseType, r.Keyword = "NORMAL", "clean" }, []int64{shell}},
		{"UseTypeOther", func(r *dataworks.ListFilesRequest) { r.UseType = "ADHOCQUERY" }, nil},
		{"ByIdentifier", func(r *dataworks.ListFilesRequest) {
			r.ProjectId, r.ProjectIdentifier, r.ExactFileName = "", w.name, "cleanup"
		}, []int64{shell}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := w.listFiles(func(r *dataworks.ListFilesRequest) { r.PageSize = requests.NewInteger(100); c.set(r) })
			var got []int64
			for _, f := range d.Files {
				got = append(got, f.FileId)
			}
			if !slices.Equal(got, c.want) || d.TotalCount != len(c.want) {
				t.Fatalf("got %v (total %d), want %v", got, d.TotalCount, c.want)
			}
		})
	}

	t.Run("NeedContentAndPath", func(t *testing.T) {
		d := w.listFiles(func(r *dataworks.ListFilesRequest) {
			r.FileTypes, r.NeedContent, r.NeedAbsoluteFolderPath = "1221", requests.NewBoolean(true), requests.NewBoolean(true)
		})
		f := d.Files[0]
		if f.Content != "-- report_ods" || f.AbsoluteFolderPath != ops || f.FileType != 1221 || f.UseType != "NORMAL" || f.ParentId != -1 ||
			f.CreateTime == 0 || f.LastEditTime == 0 || f.BusinessId == 0 || f.Owner != owner || f.CreateUser != owner {
			t.Fatalf("file = %+v", f)
		}
	})

	t.Run("InXML", func(t *testing.T) {
		req := dataworks.CreateListFilesRequest()
		req.ProjectId, req.FileFolderPath, req.AcceptFormat = w.pid(), ods, "XML"
		req.NeedContent = requests.NewBoolean(true)
		r := must(w.dw.ListFiles(req))(t)
		if r.Data.TotalCount != 7 || len(r.Data.Files) != 7 || r.Data.Files[2].FileId != committed || r.Data.Files[2].CommitStatus != 1 ||
			r.Data.Files[0].Content != "-- ods_t00" {
			t.Fatalf("ListFiles (XML) = %+v", r.Data)
		}
		req.ExactFileName = "nothing"
		if r := must(w.dw.ListFiles(req))(t); r.Data.TotalCount != 0 || len(r.Data.Files) != 0 {
			t.Fatalf("empty ListFiles (XML) = %+v", r.Data)
		}
	})
}

// TestDataWorks_BadInput sends each kind of bad input and checks the vendor envelope, a clear code, a 4xx
// status, and that nothing changed.
func TestDataWorks_BadInput(t *testing.T) {
	w := newWorkspace(t, "bad_dw")
	w.createBusiness("sales")
	id := w.createFile("业务流程/sales/MaxCompute/ods", "ods_a", 10, "select 1;")
	w.createFile("业务流程/sales/MaxCompute/ods", "ods_b", 10, "select 2;")
	snapshot := func() string {
		d := w.listFiles(func(r *dataworks.ListFilesRequest) {
			r.PageSize, r.NeedContent, r.NeedAbsoluteFolderPath = requests.NewInteger(100), requests.NewBoolean(true), requests.NewBoolean(true)
		})
		var b strings.Builder
		for _, f := range d.Files {
			fmt.Fprintf(&b, "%d %s %s %d %d %q %d|", f.FileId, f.FileName, f.AbsoluteFolderPath, f.CommitStatus, f.CurrentVersion, f.Content, f.LastEditTime)
		}
		return fmt.Sprint(d.TotalCount, w.businessCount(), b.String())
	}
	before := snapshot()
	fileID := requests.NewInteger64(id)
	ids51 := make([]string, 51)
	for i := range ids51 {
		ids51[i] = strconv.Itoa(i + 1)
	}

	cases := []struct {
		name string
		code string
		call func() error
	}{
		{"UnknownWorkspace", "Forbidden.Access", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectIdentifier = "no_such_ws"
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"NoWorkspace", "MissingProjectId", func() error { _, err := w.dw.ListFiles(dataworks.CreateListFilesRequest()); return err }},
		{"UnknownFile", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateGetFileRequest()
			r.ProjectId, r.FileId = w.pid(), requests.NewInteger(987654)
			_, err := w.dw.GetFile(r)
			return err
		}},
		{"UnknownFolder", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateCreateFileRequest()
			r.ProjectId, r.FileName, r.FileType, r.FileFolderPath = w.pid(), "x", requests.NewInteger(10), "业务流程/sales/MaxCompute/nowhere"
			_, err := w.dw.CreateFile(r)
			return err
		}},
		{"UnknownNode", "Forbidden.Access", func() error {
			r := dataworks.CreateGetNodeRequest()
			r.NodeId, r.ProjectEnv = requests.NewInteger(987654), "DEV"
			_, err := w.dw.GetNode(r)
			return err
		}},
		{"UnknownVersion", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateGetFileVersionRequest()
			r.ProjectId, r.FileId, r.FileVersion = w.pid(), fileID, requests.NewInteger(1)
			_, err := w.dw.GetFileVersion(r)
			return err
		}},
		{"UnknownDeployment", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateGetDeploymentRequest()
			r.ProjectId, r.DeploymentId = w.pid(), requests.NewInteger(987654)
			_, err := w.dw.GetDeployment(r)
			return err
		}},
		{"NameConflict", "InvalidParameter.Conflict", func() error {
			r := dataworks.CreateCreateFileRequest()
			r.ProjectId, r.FileName, r.FileType, r.FileFolderPath = w.pid(), "ods_b", requests.NewInteger(10), "业务流程/sales/MaxCompute/ods"
			_, err := w.dw.CreateFile(r)
			return err
		}},
		{"RenameConflict", "InvalidParameter.Conflict", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.FileName = w.pid(), fileID, "ods_b"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadFileType", "InvalidParameter", func() error {
			r := dataworks.CreateCreateFileRequest()
			r.ProjectId, r.FileName, r.FileType = w.pid(), "x", requests.NewInteger(12345)
			_, err := w.dw.CreateFile(r)
			return err
		}},
		{"BadFileTypes", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.FileTypes = w.pid(), "10,sql"
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"BadUseType", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.UseType = w.pid(), "SOMETIMES"
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"PageSizeOver100", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.PageSize = w.pid(), requests.NewInteger(101)
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"FileIdInOver50", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.FileIdIn = w.pid(), strings.Join(ids51, ",")
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"MalformedFileIdIn", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.FileIdIn = w.pid(), "1,two"
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"MalformedFileId", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.Content = w.pid(), "12abc", "changed"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"MalformedCommitStatus", "InvalidParameter", func() error {
			r := dataworks.CreateListFilesRequest()
			r.ProjectId, r.CommitStatus = w.pid(), "2"
			_, err := w.dw.ListFiles(r)
			return err
		}},
		{"MalformedBoolean", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.Content, r.Stop = w.pid(), fileID, "changed", "maybe"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"MalformedDate", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.Content, r.StartEffectDate = w.pid(), fileID, "changed", "2024-01-01"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadInputParameters", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.Content, r.InputParameters = w.pid(), fileID, "changed", `{"not":"an array"}`
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadOutputParameterType", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.OutputParameters = w.pid(), fileID, `[{"ParameterName":"p","Type":"9","Value":"v"}]`
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadAdvancedSettings", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.AdvancedSettings = w.pid(), fileID, "{broken"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadRerunTimes", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.AutoRerunTimes = w.pid(), fileID, requests.NewInteger(11)
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"BadCycleType", "InvalidParameter", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.CycleType = w.pid(), fileID, "HOURLY"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"MoveToUnknownFolder", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateUpdateFileRequest()
			r.ProjectId, r.FileId, r.FileFolderPath = w.pid(), fileID, "业务流程/sales/MaxCompute/elsewhere"
			_, err := w.dw.UpdateFile(r)
			return err
		}},
		{"MissingFileName", "MissingFileName", func() error {
			r := dataworks.CreateCreateFileRequest()
			r.ProjectId, r.FileType = w.pid(), requests.NewInteger(10)
			_, err := w.dw.CreateFile(r)
			return err
		}},
		{"MissingProjectEnv", "MissingProjectEnv", func() error {
			r := dataworks.CreateGetNodeRequest()
			r.NodeId = requests.NewInteger(1)
			_, err := w.dw.GetNode(r)
			return err
		}},
		{"BadProjectEnv", "InvalidParameter", func() error {
			r := dataworks.CreateListNodesRequest()
			r.ProjectId, r.ProjectEnv = w.pid(), "TEST"
			_, err := w.dw.ListNodes(r)
			return err
		}},
		{"DeployUncommitted", "InvalidParameter.Conflict", func() error {
			r := dataworks.CreateDeployFileRequest()
			r.ProjectId, r.FileId = w.pid(), fileID
			_, err := w.dw.DeployFile(r)
			return err
		}},
		{"DeleteUnknownFile", "InvalidParameter.NotExist", func() error {
			r := dataworks.CreateDeleteFileRequest()
			r.ProjectId, r.FileId = w.pid(), requests.NewInteger(987654)
			_, err := w.dw.DeleteFile(r)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.name, c.call(), c.code) })
	}
	if after := snapshot(); after != before {
		t.Fatalf("refused requests changed the files:\nbefore %s\nafter  %s", before, after)
	}
	// The error body is the vendor envelope: gateway fields and DataWorks business fields.
	r := dataworks.CreateGetFileRequest()
	r.ProjectId, r.FileId = w.pid(), requests.NewInteger(987654)
	_, err := w.dw.GetFile(r)
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.HttpStatus() != http.StatusNotFound || se.RequestId() == "" || se.Message() == "" || se.HostId() == "" ||
		!strings.Contains(se.Recommend(), "InvalidParameter.NotExist") {
		t.Fatalf("envelope: %v", err)
	}
}
