package storetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/sluice-dev/sluice"
)

// fileFixture is a project with one workflow and a folder in it, in a store on clock.
type fileFixture struct {
	db      Store
	clock   *Clock
	project *sluice.Project
	flow    *sluice.Workflow
	folder  *sluice.Folder
}

func newFileFixture(t testing.TB, open Open) *fileFixture {
	t.Helper()
	db, clock := newStore(t, open)
	return newProjectFixture(t, db, clock, "dev", Seed(t, db, "alice", sluice.UserMember))
}

// newProjectFixture makes a project named name, owned by owner, with one workflow and a folder in it.
func newProjectFixture(t testing.TB, db Store, clock *Clock, name string, owner *sluice.User) *fileFixture {
	t.Helper()
	ctx := context.Background()
	p := NewProject(t, db, name, owner)
	w := &sluice.Workflow{ProjectID: p.ID, Name: "sales", Owner: "1001", UseType: sluice.UseNormal}
	must(t, db.CreateWorkflow(ctx, w))
	f, _, err := db.CreateFolders(ctx, p.ID, w.ID, "Business Flow", "sales/MaxCompute/ods")
	must(t, err)
	return &fileFixture{db: db, clock: clock, project: p, flow: w, folder: f}
}

func (x *fileFixture) file(t testing.TB, name, folderPath string, typ int, owner string) *sluice.File {
	t.Helper()
	f := &sluice.File{ProjectID: x.project.ID, Name: name, FolderPath: folderPath, Type: typ, Owner: owner,
		CreateUser: owner, LastEditUser: owner, Content: "SELECT 1; -- " + name, UseType: sluice.UseNormal, ParentID: -1,
		Schedule: sluice.Schedule{CronExpress: "00 05 00 * * ?", Outputs: []sluice.NodeIO{{Name: "dev." + name, RefTable: name}}}}
	must(t, x.db.CreateFile(context.Background(), f))
	return f
}

func testWorkflows(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	if x.flow.ID < 100000 || x.flow.UseType != sluice.UseNormal {
		t.Fatalf("workflow = %+v", x.flow)
	}
	wantCode(t, db.CreateWorkflow(ctx, &sluice.Workflow{ProjectID: pid, Name: "sales"}), sluice.ECONFLICT)
	must(t, db.CreateWorkflow(ctx, &sluice.Workflow{ProjectID: pid, Name: "marketing_100%"}))
	got, err := db.FindWorkflowByName(ctx, pid, "sales")
	must(t, err)
	if got.ID != x.flow.ID {
		t.Fatalf("by name = %+v", got)
	}
	ws, total, err := db.FindWorkflows(ctx, sluice.WorkflowFilter{ProjectID: pid, Keyword: "0%", Limit: 10})
	must(t, err)
	if total != 1 || len(ws) != 1 || ws[0].Name != "marketing_100%" {
		t.Fatalf("keyword 0%% = %d %v", total, ws)
	}
	_, total, err = db.FindWorkflows(ctx, sluice.WorkflowFilter{ProjectID: pid, Keyword: "SAL", Limit: 10})
	must(t, err)
	if total != 1 {
		t.Fatalf("keyword SAL total = %d", total)
	}

	// Renaming the workflow moves its folders and the paths of its files.
	deep, _, err := db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "sales/MaxCompute/ods/daily")
	must(t, err)
	f := x.file(t, "ods_order_di", "Business Flow/sales/MaxCompute/ods/daily", 10, "1001")
	name := "revenue"
	w, err := db.UpdateWorkflow(ctx, pid, x.flow.ID, rename(name))
	must(t, err)
	if w.Name != "revenue" {
		t.Fatalf("renamed = %+v", w)
	}
	got2, err := db.FindFolder(ctx, pid, deep.ID)
	must(t, err)
	if got2.Key != "revenue/MaxCompute/ods/daily" || got2.Path != "Business Flow/revenue/MaxCompute/ods/daily" || got2.ParentKey != "revenue/MaxCompute/ods" {
		t.Fatalf("moved folder = %+v", got2)
	}
	file, err := db.FindFile(ctx, pid, f.ID)
	must(t, err)
	if file.FolderPath != "Business Flow/revenue/MaxCompute/ods/daily" {
		t.Fatalf("moved file path = %q", file.FolderPath)
	}
	taken := "marketing_100%"
	_, err = db.UpdateWorkflow(ctx, pid, x.flow.ID, rename(taken))
	wantCode(t, err, sluice.ECONFLICT)
	wantCode(t, db.DeleteWorkflow(ctx, pid, x.flow.ID), sluice.ECONFLICT)
	wantCode(t, db.DeleteWorkflow(ctx, pid, 1), sluice.ENOTFOUND)
	must(t, db.DeleteWorkflow(ctx, pid, ws[0].ID))
}

func testFolders(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	if len(x.folder.ID) != 32 || x.folder.Key != "sales/MaxCompute/ods" || x.folder.Path != "Business Flow/sales/MaxCompute/ods" ||
		x.folder.ParentKey != "sales/MaxCompute" {
		t.Fatalf("folder = %+v", x.folder)
	}
	kind, err := db.FindFolderByKey(ctx, pid, "sales/MaxCompute")
	must(t, err)
	if kind.ParentKey != "" {
		t.Fatalf("kind folder parent = %q", kind.ParentKey)
	}
	again, created, err := db.CreateFolders(ctx, pid, x.flow.ID, "业务流程", "sales/MaxCompute/ods")
	must(t, err)
	if again.ID != x.folder.ID || created {
		t.Fatalf("existing folder re-created: %+v (created %v)", again, created)
	}
	_, _, err = db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "other/MaxCompute")
	wantCode(t, err, sluice.EINVALID)
	_, _, err = db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "sales")
	if err == nil {
		t.Fatal("a workflow's own key was created as a folder")
	}
	dwd, created, err := db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "sales/MaxCompute/dwd")
	must(t, err)
	if !created {
		t.Fatal("a new folder was reported as existing")
	}
	_, _, err = db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "sales/data_integration")
	must(t, err)

	fs, total, err := db.FindFolders(ctx, pid, "sales/MaxCompute", 0, 10)
	must(t, err)
	if total != 2 || len(fs) != 2 || fs[0].ID != dwd.ID || fs[1].ID != x.folder.ID {
		t.Fatalf("children = %d %+v", total, fs)
	}
	_, total, err = db.FindFolders(ctx, pid, "sales", 0, 10)
	must(t, err)
	if total != 2 {
		t.Fatalf("kind folders of the workflow = %d", total)
	}

	// Rename moves everything below; the target must be free.
	sub, _, err := db.CreateFolders(ctx, pid, x.flow.ID, "Business Flow", "sales/MaxCompute/ods/daily")
	must(t, err)
	f := x.file(t, "ods_user_df", "Business Flow/sales/MaxCompute/ods/daily", 10, "1001")
	_, err = db.RenameFolder(ctx, pid, x.folder.ID, "dwd")
	wantCode(t, err, sluice.ECONFLICT)
	renamed, err := db.RenameFolder(ctx, pid, x.folder.ID, "ods_层")
	must(t, err)
	if renamed.Key != "sales/MaxCompute/ods_层" || renamed.Path != "Business Flow/sales/MaxCompute/ods_层" {
		t.Fatalf("renamed = %+v", renamed)
	}
	sub, err = db.FindFolder(ctx, pid, sub.ID)
	must(t, err)
	if sub.Key != "sales/MaxCompute/ods_层/daily" || sub.ParentKey != "sales/MaxCompute/ods_层" || sub.Path != "Business Flow/sales/MaxCompute/ods_层/daily" {
		t.Fatalf("moved child = %+v", sub)
	}
	got, err := db.FindFile(ctx, pid, f.ID)
	must(t, err)
	if got.FolderPath != sub.Path || got.FolderID != sub.ID {
		t.Fatalf("file after rename = %q %q", got.FolderID, got.FolderPath)
	}
	key := "sales/MaxCompute/ods_层/daily"
	files, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: pid, FolderKey: &key, Limit: 10})
	must(t, err)
	if total != 1 || files[0].ID != f.ID {
		t.Fatalf("files in moved folder = %d", total)
	}

	// A non-empty folder stays.
	wantCode(t, db.DeleteFolder(ctx, pid, renamed.ID), sluice.ECONFLICT)
	wantCode(t, db.DeleteFolder(ctx, pid, sub.ID), sluice.ECONFLICT)
	_, err = remove(ctx, db, pid, f.ID, "1001")
	must(t, err)
	must(t, db.DeleteFolder(ctx, pid, sub.ID))
	must(t, db.DeleteFolder(ctx, pid, renamed.ID))
	_, err = db.FindFolder(ctx, pid, renamed.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	wantCode(t, db.DeleteFolder(ctx, pid, renamed.ID), sluice.ENOTFOUND)

	// Names that differ only in case are different names on every database: listing, emptiness and renames
	// of one workflow's folders never touch the other's.
	upper := &sluice.Workflow{ProjectID: pid, Name: "Sales", UseType: sluice.UseNormal}
	must(t, db.CreateWorkflow(ctx, upper))
	_, _, err = db.CreateFolders(ctx, pid, upper.ID, "Business Flow", "Sales/Shell")
	must(t, err)
	_, total, err = db.FindFolders(ctx, pid, "sales", 0, 10)
	must(t, err)
	if total != 2 {
		t.Fatalf("folders of workflow sales = %d, want its own 2", total)
	}
	moved, err := db.UpdateWorkflow(ctx, pid, x.flow.ID, rename("renamed"))
	must(t, err)
	if moved.Name != "renamed" {
		t.Fatalf("renamed workflow = %+v", moved)
	}
	other, err := db.FindFolderByKey(ctx, pid, "Sales/Shell")
	must(t, err)
	if other.WorkflowID != upper.ID || other.Path != "Business Flow/Sales/Shell" {
		t.Fatalf("the other workflow's folder moved: %+v", other)
	}
	_, total, err = db.FindFolders(ctx, pid, "Sales", 0, 10)
	must(t, err)
	if total != 1 {
		t.Fatalf("folders of workflow Sales = %d, want 1", total)
	}
}

// rename is a workflow change that renames it.
func rename(name string) func(*sluice.Workflow) error {
	return func(w *sluice.Workflow) error {
		w.Name = name
		return nil
	}
}

func testFiles(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	path := x.folder.Path
	a := x.file(t, "ods_order_di", path, 10, "1001")
	if a.ID < 100000000 || a.FolderID != x.folder.ID || a.WorkflowID != x.flow.ID || a.ParentID != -1 || a.CommitStatus != 0 || a.UseType != sluice.UseNormal {
		t.Fatalf("created = %+v", a)
	}
	wantCode(t, db.CreateFile(ctx, &sluice.File{ProjectID: pid, Name: "ods_order_di", FolderPath: path, Type: 10}), sluice.ECONFLICT)
	wantCode(t, db.CreateFile(ctx, &sluice.File{ProjectID: pid, Name: "x", FolderPath: "Business Flow/sales/none", Type: 10}), sluice.ENOTFOUND)
	b := x.file(t, "ODS_Order_Df", path, 6, "1002")
	c := x.file(t, "dwd_user_100%_di", path, 10, "1002")
	root := x.file(t, "ods_order_di", "", 10, "1001") // the same name at the root is another file
	if root.FolderID != "" || root.WorkflowID != 0 {
		t.Fatalf("root file = %+v", root)
	}

	got, err := db.FindFile(ctx, pid, a.ID)
	must(t, err)
	if got.Content != a.Content || got.FolderPath != path || got.Schedule.CronExpress != "00 05 00 * * ?" ||
		len(got.Schedule.Outputs) != 1 || got.Schedule.Outputs[0].RefTable != "ods_order_di" {
		t.Fatalf("found = %+v", got)
	}
	_, err = db.FindFile(ctx, pid+1, a.ID)
	wantCode(t, err, sluice.ENOTFOUND)

	ids := func(fs []*sluice.File) []int64 {
		var out []int64
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	one, zero := 1, 0
	key, rootKey := x.folder.Key, ""
	for _, tc := range []struct {
		name string
		f    sluice.FileFilter
		want []*sluice.File
	}{
		{"all", sluice.FileFilter{}, []*sluice.File{a, b, c, root}},
		{"keyword case-insensitive", sluice.FileFilter{Keyword: "ORDER"}, []*sluice.File{a, b, root}},
		{"short keyword", sluice.FileFilter{Keyword: "dF"}, []*sluice.File{b}},
		{"keyword escapes %", sluice.FileFilter{Keyword: "0%_"}, []*sluice.File{c}},
		{"keyword escapes _", sluice.FileFilter{Keyword: "r_d"}, []*sluice.File{a, b, root}},
		{"keyword no match", sluice.FileFilter{Keyword: "r%d"}, nil},
		{"keyword quote", sluice.FileFilter{Keyword: `"ord`}, nil},
		{"exact", sluice.FileFilter{ExactName: "ods_order_di"}, []*sluice.File{a, root}},
		{"types", sluice.FileFilter{Types: []int{6, 99}}, []*sluice.File{b}},
		{"type and owner", sluice.FileFilter{Types: []int{10}, Owner: "1002"}, []*sluice.File{c}},
		{"ids", sluice.FileFilter{IDs: []int64{c.ID, a.ID, 1}}, []*sluice.File{a, c}},
		{"one id", sluice.FileFilter{IDs: []int64{b.ID}}, []*sluice.File{b}},
		{"editor", sluice.FileFilter{LastEditUser: "1001"}, []*sluice.File{a, root}},
		{"uncommitted", sluice.FileFilter{CommitStatus: &zero}, []*sluice.File{a, b, c, root}},
		{"committed", sluice.FileFilter{CommitStatus: &one}, nil},
		{"use type", sluice.FileFilter{UseType: sluice.UseManual}, nil},
		{"folder", sluice.FileFilter{FolderKey: &key}, []*sluice.File{a, b, c}},
		{"root folder", sluice.FileFilter{FolderKey: &rootKey}, []*sluice.File{root}},
		{"folder and keyword", sluice.FileFilter{FolderKey: &key, Keyword: "order_d"}, []*sluice.File{a, b}},
	} {
		f := tc.f
		f.ProjectID, f.Limit = pid, 10
		files, total, err := db.FindFiles(ctx, f)
		must(t, err)
		if fmt.Sprint(ids(files)) != fmt.Sprint(ids(tc.want)) || total != len(tc.want) {
			t.Errorf("%s: got %v (total %d), want %v", tc.name, ids(files), total, ids(tc.want))
		}
		if len(files) > 0 && files[0].Content != "" {
			t.Errorf("%s: content without NeedContent", tc.name)
		}
	}
	// Counts stay per project whichever project holds most files.
	other := NewProject(t, db, "other", Seed(t, db, "bob", sluice.UserMember))
	for i := 0; i < 6; i++ {
		must(t, db.CreateFile(ctx, &sluice.File{ProjectID: other.ID, Name: fmt.Sprintf("ods_order_%d", i), Type: 10}))
	}
	for _, tc := range []struct {
		project int64
		keyword string
		want    int
	}{{pid, "ORDER", 3}, {other.ID, "order", 6}, {other.ID, "order_1", 1}, {pid, "ods", 3}, {other.ID, "ods", 6}, {pid, "", 4}, {other.ID, "", 6}} {
		files, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: tc.project, Keyword: tc.keyword, Limit: 2})
		must(t, err)
		if total != tc.want || len(files) != min(2, tc.want) {
			t.Errorf("project %d keyword %q: total %d, %d files, want %d", tc.project, tc.keyword, total, len(files), tc.want)
		}
	}
	// Totals by type alone follow creations and deletions, per project.
	typeTotal := func(project int64, types ...int) int {
		_, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: project, Types: types, Limit: 1})
		must(t, err)
		return total
	}
	if got := typeTotal(other.ID, 10, 6); got != 6 {
		t.Errorf("other project, types 10,6: total %d, want 6", got)
	}
	if got := typeTotal(pid, 10); got != 3 {
		t.Errorf("project, type 10: total %d, want 3", got)
	}
	last, _, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: other.ID, Limit: 1})
	must(t, err)
	_, err = remove(ctx, db, other.ID, last[0].ID, "1001")
	must(t, err)
	if got := typeTotal(other.ID, 10); got != 5 {
		t.Errorf("after a delete, type 10: total %d, want 5", got)
	}

	// Pages are stable and the total counts all of them.
	var seen []int64
	for off := 0; off < 6; off += 3 {
		files, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: pid, Keyword: "D", Offset: off, Limit: 3, NeedContent: true})
		must(t, err)
		if total != 4 {
			t.Fatalf("total = %d", total)
		}
		if len(files) > 0 && files[0].Content == "" {
			t.Fatalf("NeedContent left content empty")
		}
		seen = append(seen, ids(files)...)
	}
	if fmt.Sprint(seen) != fmt.Sprint(ids([]*sluice.File{a, b, c, root})) {
		t.Fatalf("paged = %v", seen)
	}
	missing := "sales/none"
	files, total, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: pid, FolderKey: &missing})
	must(t, err)
	if total != 0 || len(files) != 0 {
		t.Fatalf("missing folder = %d", total)
	}

	// Update: rename, move to the root, conflict.
	got.Name, got.FolderPath, got.Content, got.LastEditUser = "ods_order_hi", "", "SELECT 2", "1003"
	must(t, edit(ctx, db, got))
	got, err = db.FindFile(ctx, pid, a.ID)
	must(t, err)
	if got.Name != "ods_order_hi" || got.FolderID != "" || got.Content != "SELECT 2" || got.LastEditUser != "1003" {
		t.Fatalf("updated = %+v", got)
	}
	files, _, err = db.FindFiles(ctx, sluice.FileFilter{ProjectID: pid, Keyword: "order_hi"})
	must(t, err)
	if len(files) != 1 {
		t.Fatalf("keyword after rename = %v", ids(files))
	}
	got.Name = "ods_order_di"
	wantCode(t, edit(ctx, db, got), sluice.ECONFLICT)
	wantCode(t, edit(ctx, db, &sluice.File{ProjectID: pid, ID: 1, Name: "x"}), sluice.ENOTFOUND)
	got.Name, got.FolderPath = "moved", "Business Flow/sales/none"
	wantCode(t, edit(ctx, db, got), sluice.ENOTFOUND)

	// Deleting the project deletes its files.
	must(t, db.DeleteProject(ctx, pid))
	_, err = db.FindFile(ctx, pid, b.ID)
	wantCode(t, err, sluice.ENOTFOUND)
}

// testRedeploys: each deployment moves the PROD mark to the version deployed, from wherever it was, and every
// version deployed once keeps its status.
func testRedeploys(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	f := x.file(t, "dws_redeploy", x.folder.Path, 10, "1001")
	deployed := map[int]bool{}
	for i, step := range []string{"commit", "deploy", "commit", "commit", "deploy", "deploy", "commit", "deploy"} {
		if step == "commit" {
			_, _, err := commit(ctx, db, pid, f.ID, "1001", "", nil)
			must(t, err)
			continue
		}
		d, err := deploy(ctx, db, pid, f.ID, "1001")
		must(t, err)
		current := d.Items[0].FileVersion
		deployed[current] = true
		vs, _, err := db.FindFileVersions(ctx, pid, f.ID, 0, 10)
		must(t, err)
		for _, v := range vs {
			if v.IsCurrentProd != (v.Version == current) || deployed[v.Version] != (v.Status == sluice.VersionDeployed) {
				t.Fatalf("step %d, after deploying version %d: version %d current in PROD %v, status %s",
					i, current, v.Version, v.IsCurrentProd, v.Status)
			}
		}
	}
}

func testFileCommits(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	db, pid := x.db, x.project.ID
	f := x.file(t, "ods_order_di", x.folder.Path, 10, "1001")
	v, d, err := commit(ctx, db, pid, f.ID, "1001", "first", nil)
	must(t, err)
	if v.Version != 1 || v.ChangeType != sluice.ChangeCreate || v.Status != sluice.VersionCommitted || v.NodeID < 700000000000 ||
		v.Content != f.Content || v.Comment != "first" {
		t.Fatalf("version = %+v", v)
	}
	if d.ID == 0 || d.From != sluice.EnvCodeLocal || d.To != sluice.EnvCodeDev || d.Status != sluice.DeploymentSuccess ||
		len(d.Items) != 1 || d.Items[0].FileVersion != 1 {
		t.Fatalf("deployment = %+v", d)
	}
	got, err := db.FindFile(ctx, pid, f.ID)
	must(t, err)
	if got.CommitStatus != sluice.Committed || got.CurrentVersion != 1 || got.NodeID != v.NodeID {
		t.Fatalf("committed file = %+v", got)
	}
	byNode, err := db.FindFileByNode(ctx, pid, v.NodeID)
	must(t, err)
	if byNode.ID != f.ID {
		t.Fatalf("by node = %d", byNode.ID)
	}
	dev, err := db.FindNode(ctx, v.NodeID, sluice.EnvDev)
	must(t, err)
	if dev.FileID != f.ID || dev.FileVersion != 1 || dev.Name != f.Name || dev.Schedule.CronExpress != "00 05 00 * * ?" {
		t.Fatalf("dev node = %+v", dev)
	}
	_, err = db.FindNode(ctx, v.NodeID, sluice.EnvProd)
	wantCode(t, err, sluice.ENOTFOUND)

	// Editing drops the commit status; the next commit is an UPDATE with the same node.
	got.Content, got.CommitStatus = "SELECT 3", sluice.Uncommitted
	must(t, edit(ctx, db, got))
	zero := 0
	files, _, err := db.FindFiles(ctx, sluice.FileFilter{ProjectID: pid, CommitStatus: &zero})
	must(t, err)
	if len(files) != 1 {
		t.Fatalf("uncommitted after edit = %d", len(files))
	}
	v2, _, err := commit(ctx, db, pid, f.ID, "1002", "", nil)
	must(t, err)
	if v2.Version != 2 || v2.ChangeType != sluice.ChangeUpdate || v2.NodeID != v.NodeID || v2.Content != "SELECT 3" {
		t.Fatalf("version 2 = %+v", v2)
	}

	dd, err := deploy(ctx, db, pid, f.ID, "1001")
	must(t, err)
	if dd.From != sluice.EnvCodeDev || dd.To != sluice.EnvCodeProd || dd.Items[0].FileVersion != 2 {
		t.Fatalf("deploy = %+v", dd)
	}
	found, err := db.FindDeployment(ctx, pid, dd.ID)
	must(t, err)
	if found.Creator != "1001" || found.To != sluice.EnvCodeProd || len(found.Items) != 1 || found.Items[0].FileID != f.ID {
		t.Fatalf("found deployment = %+v", found)
	}
	_, err = db.FindDeployment(ctx, pid+1, dd.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	prod, err := db.FindNode(ctx, v.NodeID, sluice.EnvProd)
	must(t, err)
	if prod.FileVersion != 2 || prod.ProjectID != pid {
		t.Fatalf("prod node = %+v", prod)
	}
	vs, total, err := db.FindFileVersions(ctx, pid, f.ID, 0, 10)
	must(t, err)
	if total != 2 || vs[0].Version != 2 || !vs[0].IsCurrentProd || vs[0].Status != sluice.VersionDeployed || vs[1].IsCurrentProd {
		t.Fatalf("versions = %d %+v %+v", total, vs[0], vs[1])
	}
	nodes, total, err := db.FindNodes(ctx, sluice.NodeFilter{ProjectID: pid, Env: sluice.EnvProd, Name: "ORDER", WorkflowName: "sales", Limit: 10})
	must(t, err)
	if total != 1 || nodes[0].ID != v.NodeID {
		t.Fatalf("nodes = %d", total)
	}
	_, total, err = db.FindNodes(ctx, sluice.NodeFilter{ProjectID: pid, Env: sluice.EnvDev, Owner: "nobody"})
	must(t, err)
	if total != 0 {
		t.Fatalf("nodes by owner = %d", total)
	}

	// Deleting a committed file goes through a deployment; its versions stay readable.
	del, err := remove(ctx, db, pid, f.ID, "1001")
	must(t, err)
	if del.ID == 0 || len(del.Items) != 1 || del.Items[0].FileVersion != 3 {
		t.Fatalf("delete deployment = %+v", del)
	}
	_, err = db.FindFile(ctx, pid, f.ID)
	wantCode(t, err, sluice.ENOTFOUND)
	_, err = db.FindNode(ctx, v.NodeID, sluice.EnvDev)
	wantCode(t, err, sluice.ENOTFOUND)
	last, err := db.FindFileVersion(ctx, pid, f.ID, 3)
	must(t, err)
	if last.ChangeType != sluice.ChangeDelete {
		t.Fatalf("last version = %+v", last)
	}
	// A draft never committed just goes.
	g := x.file(t, "scratch", "", 10, "1001")
	d0, err := remove(ctx, db, pid, g.ID, "1001")
	must(t, err)
	if d0 != nil {
		t.Fatalf("draft delete deployment = %+v", d0)
	}
	_, err = remove(ctx, db, pid, g.ID, "1001")
	wantCode(t, err, sluice.ENOTFOUND)
	// A change that refuses, or that breaks a rule the store enforces, writes nothing.
	h := x.file(t, "kept", "", 10, "1001")
	_, err = db.ChangeFile(ctx, pid, h.ID, func(f *sluice.File) (*sluice.FileChange, error) {
		return nil, sluice.Errorf(sluice.ECONFLICT, "no")
	})
	wantCode(t, err, sluice.ECONFLICT)
	_, err = db.ChangeFile(ctx, pid, h.ID, func(f *sluice.File) (*sluice.FileChange, error) {
		f.Content, f.CurrentVersion = "changed", 5
		return &sluice.FileChange{File: f, Version: &sluice.FileVersion{FileID: f.ID, Version: 5}}, nil
	})
	if err == nil {
		t.Fatal("a version that does not follow the last was recorded")
	}
	if kept, err := db.FindFile(ctx, pid, h.ID); err != nil || kept.Content != h.Content || kept.CurrentVersion != 0 {
		t.Fatalf("after refused changes = %+v, %v", kept, err)
	}
	must(t, db.DeleteProject(ctx, pid))
}

// testConcurrentCommits commits one file from many goroutines at once: the versions are 1..N, each once.
func testConcurrentCommits(t *testing.T, open Open) {
	ctx := context.Background()
	x := newFileFixture(t, open)
	f := x.file(t, "ods_order_di", x.folder.Path, 10, "1001")
	const n = 16
	var wg sync.WaitGroup
	versions := make(chan int, n)
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			v, _, err := commit(ctx, x.db, x.project.ID, f.ID, "1001", "", nil)
			if err != nil {
				errs <- err
				return
			}
			versions <- v.Version
		}()
	}
	close(start)
	wg.Wait()
	close(versions)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var got []int
	for v := range versions {
		got = append(got, v)
	}
	sort.Ints(got)
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("versions = %v, want 1..%d", got, n)
		}
	}
	file, err := x.db.FindFile(ctx, x.project.ID, f.ID)
	must(t, err)
	_, total, err := x.db.FindFileVersions(ctx, x.project.ID, f.ID, 0, 100)
	must(t, err)
	if len(got) != n || file.CurrentVersion != n || total != n {
		t.Fatalf("%d commits, current version %d, %d versions stored", len(got), file.CurrentVersion, total)
	}
}
