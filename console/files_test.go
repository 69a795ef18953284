package console_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sluice-dev/sluice"
)

// fileWorld is a project with a workflow, folders and files, a developer and a viewer, and another project
// with a file neither may see.
type fileWorld struct {
	*env
	ods    string // folder path with the sales files
	report *sluice.File
	files  []*sluice.File
	secret *sluice.File // in another project
}

const reportSQL = "-- 日报\nSELECT region, SUM(amount) AS total\nFROM ods_orders\nWHERE ds = '${bizdate}'\nGROUP BY region;\n"

func newFileWorld(t *testing.T) *fileWorld {
	e := newEnv(t)
	e.user("dev", map[string]sluice.Role{"sales_dw": sluice.RoleDeveloper})
	e.user("viewer", map[string]sluice.Role{"sales_dw": sluice.RoleViewer})
	e.project("other_dw")
	w := &fileWorld{env: e, ods: "业务流程/销售/MaxCompute/ods"}
	ctx := w.as("dev")
	core := e.srv.Server.Core
	sales := sluice.ProjectByName("sales_dw")
	if _, err := core.CreateWorkflow(ctx, sales, sluice.Workflow{Name: "销售"}); err != nil {
		t.Fatal(err)
	}
	var err error
	w.report, err = core.CreateFile(ctx, sales, sluice.File{FolderPath: w.ods, Name: "日报_daily_report", Type: 10, Content: reportSQL,
		Schedule: sluice.Schedule{CronExpress: "00 30 02 * * ?", CycleType: "DAY", RerunMode: "ALL_ALLOWED"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	w.files = append(w.files, w.report)
	for i := range 11 {
		f, err := core.CreateFile(ctx, sales, sluice.File{FolderPath: w.ods, Name: fmt.Sprintf("load_orders_%02d", i), Type: 6,
			Content: fmt.Sprintf("echo load %d\n", i)}, true)
		if err != nil {
			t.Fatal(err)
		}
		w.files = append(w.files, f)
	}
	if _, err := core.CreateFile(ctx, sales, sluice.File{FolderPath: "业务流程/销售/MaxCompute/dws", Name: "py_orders", Type: 221,
		Content: "print('orders')\n"}, true); err != nil {
		t.Fatal(err)
	}
	root := e.rootContext()
	if _, err := core.CreateWorkflow(root, sluice.ProjectByName("other_dw"), sluice.Workflow{Name: "hr"}); err != nil {
		t.Fatal(err)
	}
	if w.secret, err = core.CreateFile(root, sluice.ProjectByName("other_dw"), sluice.File{FolderPath: "业务流程/hr/MaxCompute/x",
		Name: "salaries_orders", Type: 10, Content: "SELECT secret FROM salaries;"}, true); err != nil {
		t.Fatal(err)
	}
	return w
}

// as is a context calling the core as the named user.
func (w *fileWorld) as(name string) context.Context {
	u, err := w.srv.Server.Core.FindUser(w.rootContext(), name)
	if err != nil {
		w.t.Fatal(err)
	}
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

type filePage struct {
	Items []struct {
		ID             int64
		Name           string
		FolderPath     string
		Type           int
		TypeName       string
		CommitStatus   int
		CurrentVersion int
		OwnerName      string
		Content        *string
	}
	TotalCount int
}

type fileDetail struct {
	ID             int64
	Name           string
	Content        string
	Language       string
	CommitStatus   int
	CurrentVersion int
	NodeID         int64
	OwnerName      string
	Schedule       struct{ CronExpress, RerunMode string }
	DevNode        *struct {
		ID          int64
		FileVersion int
	}
	ProdNode *struct {
		ID          int64
		FileVersion int
	}
	State struct {
		Committed, DraftChanged, Deployed, ProdUpToDate bool
		ProdVersion                                     int
	}
}

type apiError struct{ Code, Message string }

// The tree lists workflows, then folders; a folder's files and a name search are paged on the server with
// their totals.
func TestFilesAPIList(t *testing.T) {
	w := newFileWorld(t)
	c := w.signIn("viewer")
	base := "/console/api/projects/sales_dw"

	var folders struct {
		Items      []struct{ ID, Path, Name, Kind string }
		TotalCount int
	}
	if s := c.do("GET", base+"/folders", nil, &folders); s != 200 || folders.TotalCount != 1 || folders.Items[0].Name != "销售" || folders.Items[0].Kind != "workflow" {
		t.Fatalf("workflows: %d %+v", s, folders)
	}
	if s := c.do("GET", base+"/folders?parent="+url.QueryEscape(folders.Items[0].Path), nil, &folders); s != 200 || folders.TotalCount != 1 || folders.Items[0].Name != "MaxCompute" {
		t.Fatalf("kinds: %d %+v", s, folders)
	}
	if s := c.do("GET", base+"/folders?parent="+url.QueryEscape(folders.Items[0].Path), nil, &folders); s != 200 || folders.TotalCount != 2 ||
		folders.Items[0].Name != "dws" || folders.Items[1].Name != "ods" {
		t.Fatalf("folders: %d %+v", s, folders)
	}

	var page filePage
	if s := c.do("GET", base+"/files?folder="+url.QueryEscape(w.ods)+"&limit=5&offset=10", nil, &page); s != 200 || page.TotalCount != 12 || len(page.Items) != 2 {
		t.Fatalf("folder page: %d %+v", s, page)
	}
	for _, f := range page.Items {
		if f.Content != nil || f.FolderPath != w.ods || f.OwnerName != "dev" || f.TypeName != "Shell" {
			t.Errorf("summary %+v", f)
		}
	}
	if s := c.do("GET", base+"/files?keyword=orders&limit=5", nil, &page); s != 200 || page.TotalCount != 12 || len(page.Items) != 5 {
		t.Fatalf("search: %d total %d, %d items", s, page.TotalCount, len(page.Items))
	}
	for _, f := range page.Items {
		if !strings.Contains(f.Name, "orders") || f.Name == "salaries_orders" {
			t.Errorf("search found %q", f.Name)
		}
	}
	if s := c.do("GET", base+"/files?keyword="+url.QueryEscape("日报"), nil, &page); s != 200 || page.TotalCount != 1 || page.Items[0].Name != "日报_daily_report" {
		t.Fatalf("CJK search: %d %+v", s, page)
	}
	if s := c.do("GET", base+"/files?folder=/", nil, &page); s != 200 || page.TotalCount != 0 {
		t.Fatalf("root: %d %+v", s, page)
	}

	for _, bad := range []string{"/files?limit=0", "/files?limit=1001", "/files?offset=-1", "/files?offset=x", "/folders?parent=nowhere/x",
		"/files?folder=nowhere/x", "/files/0", "/files/abc", "/files/1/versions/0", "/files/1/versions?limit=5000"} {
		var out apiError
		if s := c.do("GET", base+bad, nil, &out); s != 400 || out.Code != "InvalidParameter" || out.Message == "" {
			t.Errorf("GET %s: %d %+v, want 400 InvalidParameter", bad, s, out)
		}
	}
}

// A file shows with its content, schedule and state; a developer saves, commits and deploys it.
func TestFilesAPIChange(t *testing.T) {
	w := newFileWorld(t)
	c := w.signIn("dev")
	path := fmt.Sprintf("/console/api/projects/sales_dw/files/%d", w.report.ID)

	var f fileDetail
	if s := c.do("GET", path, nil, &f); s != 200 || f.Content != reportSQL || f.Language != "sql" || f.Schedule.CronExpress != "00 30 02 * * ?" ||
		f.State.Committed || !f.State.DraftChanged || f.DevNode != nil || f.OwnerName != "dev" {
		t.Fatalf("file: %d %+v", s, f)
	}
	var out apiError
	if s := c.do("POST", path+"/deploy", map[string]string{"comment": "too early"}, &out); s != 409 {
		t.Errorf("deploy before commit: %d %+v", s, out)
	}
	var res struct {
		Deployment struct {
			ID       int64
			Status   string
			From, To string
			Items    []struct{ FileVersion int }
		}
		File fileDetail
	}
	if s := c.do("POST", path+"/commit", map[string]string{"comment": "第一版"}, &res); s != 200 || res.Deployment.From != "LOCAL" || res.Deployment.To != "DEV" ||
		res.File.CurrentVersion != 1 || res.File.DevNode == nil || res.File.State.DraftChanged {
		t.Fatalf("commit: %d %+v", s, res)
	}
	edited := strings.Replace(reportSQL, "SUM(amount)", "SUM(amount) - SUM(refund)", 1)
	if s := c.do("PUT", path, map[string]string{"content": edited}, &f); s != 200 || f.Content != edited || !f.State.DraftChanged || f.CurrentVersion != 1 {
		t.Fatalf("update: %d %+v", s, f)
	}
	if s := c.do("POST", path+"/commit", map[string]string{"comment": "net of refunds"}, &res); s != 200 || res.File.CurrentVersion != 2 {
		t.Fatalf("second commit: %d %+v", s, res)
	}
	if s := c.do("POST", path+"/deploy", map[string]string{"comment": "上线"}, &res); s != 200 || res.Deployment.To != "PROD" ||
		!res.File.State.Deployed || res.File.State.ProdVersion != 2 || !res.File.State.ProdUpToDate || res.File.ProdNode == nil {
		t.Fatalf("deploy: %d %+v", s, res)
	}

	var versions struct {
		Items []struct {
			Version       int
			Comment       string
			ChangeType    string
			CommitterName string
			IsCurrentProd bool
			Content       *string
		}
		TotalCount int
	}
	if s := c.do("GET", path+"/versions?limit=1", nil, &versions); s != 200 || versions.TotalCount != 2 || len(versions.Items) != 1 ||
		versions.Items[0].Version != 2 || versions.Items[0].Content != nil || versions.Items[0].CommitterName != "dev" || !versions.Items[0].IsCurrentProd {
		t.Fatalf("versions: %d %+v", s, versions)
	}
	var v struct {
		Version    int
		Comment    string
		ChangeType string
		Content    *string
	}
	if s := c.do("GET", path+"/versions/1", nil, &v); s != 200 || v.Content == nil || *v.Content != reportSQL || v.Comment != "第一版" || v.ChangeType != "CREATE" {
		t.Fatalf("version 1: %d %+v", s, v)
	}
	if s := c.do("GET", path+"/versions/3", nil, &out); s != 404 {
		t.Errorf("version 3: %d %+v", s, out)
	}

	// Bad bodies change nothing.
	for _, body := range []any{map[string]string{}, map[string]any{"content": 5}, map[string]string{"contents": "x"}, map[string]string{"name": "a/b"}} {
		if s := c.do("PUT", path, body, &out); s != 400 || out.Code != "InvalidParameter" {
			t.Errorf("PUT %v: %d %+v", body, s, out)
		}
	}
	if s := c.do("POST", path+"/commit", map[string]string{"comment": strings.Repeat("长", 1001)}, &out); s != 400 {
		t.Errorf("long comment: %d %+v", s, out)
	}
	if s := c.do("GET", path, nil, &f); f.Content != edited || f.Name != "日报_daily_report" || f.CurrentVersion != 2 {
		t.Errorf("after refused changes: %d %+v", s, f)
	}
}

// A viewer reads but the server refuses every change; another project's file is not found, whoever asks.
func TestFilesAPIRefused(t *testing.T) {
	w := newFileWorld(t)
	c := w.signIn("viewer")
	path := fmt.Sprintf("/console/api/projects/sales_dw/files/%d", w.report.ID)
	var f fileDetail
	if s := c.do("GET", path, nil, &f); s != 200 || f.Content != reportSQL {
		t.Fatalf("viewer reads: %d %+v", s, f)
	}
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"PUT", path, map[string]string{"content": "DROP TABLE ods_orders;"}},
		{"PUT", path, map[string]string{"name": "renamed"}},
		{"POST", path + "/commit", map[string]string{"comment": "x"}},
		{"POST", path + "/deploy", map[string]string{"comment": "x"}},
	} {
		var out apiError
		if s := c.do(req.method, req.path, req.body, &out); s != 403 || out.Code != "Forbidden" {
			t.Errorf("viewer %s %s: %d %+v, want 403", req.method, req.path, s, out)
		}
	}
	if s := c.do("GET", path, nil, &f); s != 200 || f.Content != reportSQL || f.Name != "日报_daily_report" || f.CurrentVersion != 0 {
		t.Errorf("after the refusals: %+v", f)
	}
	var versions struct{ TotalCount int }
	if c.do("GET", path+"/versions", nil, &versions); versions.TotalCount != 0 {
		t.Errorf("versions after the refusals: %d", versions.TotalCount)
	}

	// The other project's file, through this project or its own: nothing of it shows.
	dev := w.signIn("dev")
	for _, p := range []string{
		fmt.Sprintf("/console/api/projects/sales_dw/files/%d", w.secret.ID),
		fmt.Sprintf("/console/api/projects/sales_dw/files/%d/versions", w.secret.ID),
		fmt.Sprintf("/console/api/projects/other_dw/files/%d", w.secret.ID),
		"/console/api/projects/other_dw/files?keyword=orders",
		"/console/api/projects/other_dw/folders",
	} {
		var out apiError
		s := dev.do("GET", p, nil, &out)
		if (s != 404 && s != 403) || strings.Contains(out.Message, "salaries") || strings.Contains(out.Message, "secret") {
			t.Errorf("GET %s: %d %+v, want 404 or 403 revealing nothing", p, s, out)
		}
	}
	var out apiError
	if s := dev.do("PUT", fmt.Sprintf("/console/api/projects/sales_dw/files/%d", w.secret.ID), map[string]string{"content": "x"}, &out); s != 404 {
		t.Errorf("PUT another project's file: %d %+v", s, out)
	}
	if got, err := w.srv.Server.Core.FindFile(w.rootContext(), sluice.ProjectByName("other_dw"), w.secret.ID); err != nil || got.Content != "SELECT secret FROM salaries;" {
		t.Errorf("the other project's file: %v %+v", err, got)
	}
}

// A developer finds a file in the tree, edits it in the editor, commits it and sees the diff of its versions;
// a search by name finds it.
func TestFilesBrowserDeveloper(t *testing.T) {
	w := newFileWorld(t)
	if _, err := w.srv.Server.Core.SubmitFile(w.as("dev"), sluice.ProjectByName("sales_dw"), w.report.ID, "第一版"); err != nil {
		t.Fatal(err)
	}
	ctx := w.browser("dev")
	w.do(ctx,
		chromedp.Navigate(w.srv.URL+"/console/projects/sales_dw/files"),
		waitText(".files-tree", "销售"),
		chromedp.Click(chromedp.CSS(`.files-tree button[aria-label="Open workflow 销售"]`)),
		waitText(".files-tree", "MaxCompute"),
		chromedp.Click(chromedp.CSS(`.files-tree button[aria-label="Open folder MaxCompute"]`)),
		waitText(".files-tree", "ods"),
		chromedp.Click(chromedp.CSS(`.files-tree a[data-path$="/ods"]`)),
		waitText("#files-title", "ods"),
		waitText(".files-list", "日报_daily_report"),
	)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "folder=") {
		t.Errorf("the folder is not in the address: %s", loc)
	}
	w.screenshot(ctx, "files")
	// Back and forward move between the folders shown; a folder's address opens the tree down to it.
	w.do(ctx,
		chromedp.NavigateBack(),
		waitText("#files-title", "All files"),
		chromedp.NavigateForward(),
		waitText("#files-title", "ods"),
		chromedp.Reload(),
		waitJS(`document.querySelector('.files-tree a[aria-current="true"]')?.textContent === 'ods'`),
	)

	w.do(ctx,
		chromedp.Click(chromedp.CSS(`.files-list a[href$="/files/`+fmt.Sprint(w.report.ID)+`"]`)),
		waitText("#file-name", "日报_daily_report"),
		waitJS(`!!document.querySelector('.CodeMirror') && document.querySelector('.CodeMirror').CodeMirror.getValue().includes('GROUP BY region')`),
		waitJS(`document.querySelector('.CodeMirror').CodeMirror.getOption('mode') === 'text/x-sql' && !!document.querySelector('.CodeMirror .cm-keyword')`),
		waitText("#file-commit-state", "Committed v1"),
		waitText("#file-schedule", "00 30 02 * * ?"),
		waitJS(`!!document.querySelector('a[href*="/lineage?node="]')`),
	)
	w.screenshot(ctx, "file")
	w.do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const cm = document.querySelector('.CodeMirror').CodeMirror; cm.setValue(cm.getValue().replace('SUM(amount)', 'SUM(amount) - SUM(refund)')); })()`),
		waitText("#file-dirty", "Unsaved"),
		chromedp.Click(chromedp.ID("file-save")),
		waitText("#file-commit-state", "Changed since v1"),
		chromedp.Click(chromedp.ID("file-commit")),
		chromedp.WaitVisible(chromedp.ID("comment-input")),
		chromedp.SendKeys(chromedp.ID("comment-input"), "扣除退款 net of refunds"),
		chromedp.Click(chromedp.ID("comment-ok")),
		waitText("#file-commit-state", "Committed v2"),
	)
	got, err := w.srv.Server.Core.FindFile(w.rootContext(), sluice.ProjectByName("sales_dw"), w.report.ID)
	if err != nil || got.CurrentVersion != 2 || !strings.Contains(got.Content, "SUM(refund)") {
		t.Fatalf("after the commit: %v %+v", err, got)
	}
	w.do(ctx,
		waitText("#file-deploy-state", "Not deployed"),
		chromedp.Click(chromedp.ID("file-deploy")),
		chromedp.WaitVisible(chromedp.ID("comment-input")),
		chromedp.SendKeys(chromedp.ID("comment-input"), "上线"),
		chromedp.Click(chromedp.ID("comment-ok")),
		waitText("#file-deploy-state", "Deployed v2"),
	)
	w.do(ctx,
		chromedp.Click(chromedp.CSS(`.file-links a[href$="/versions"]`)),
		waitText(".files-versions", "扣除退款"),
		waitText("#files-diff", "v1 → v2"),
		waitText(".files-versions", "PROD"),
		waitJS(`[...document.querySelectorAll("#files-diff .d2h-ins")].some((el) => el.textContent.includes("SUM(refund)"))`),
		waitJS(`[...document.querySelectorAll("#files-diff .d2h-del")].some((el) => el.textContent.includes("SUM(amount) AS total"))`),
	)
	w.screenshot(ctx, "files-versions")

	// A name search, paged on the server, from the files page.
	w.do(ctx,
		chromedp.Navigate(w.srv.URL+"/console/projects/sales_dw/files"),
		chromedp.WaitVisible(chromedp.ID("files-search")),
		chromedp.SendKeys(chromedp.ID("files-search"), "日报\r"),
		waitText("#files-title", "日报"),
		waitText(".files-list", "日报_daily_report"),
	)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "q=") {
		t.Errorf("the search is not in the address: %s", loc)
	}
	w.do(ctx,
		chromedp.Navigate(w.srv.URL+"/console/projects/sales_dw/files?q=orders"),
		waitText(".pager", "1–12 of 12"),
	)
}

// A viewer sees a file read-only, with no buttons to change it; the server refuses the viewer's change sent
// from the page.
func TestFilesBrowserViewer(t *testing.T) {
	w := newFileWorld(t)
	ctx := w.browser("viewer")
	w.do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/projects/sales_dw/files/%d", w.srv.URL, w.report.ID)),
		waitText("#file-name", "日报_daily_report"),
		waitJS(`!!document.querySelector('.CodeMirror') && document.querySelector('.CodeMirror').CodeMirror.getOption('readOnly') === true`),
		waitText("#file-readonly", "Read only"),
	)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#file-save, #file-commit, #file-deploy, button.primary').length`))
	if err != nil || n != 0 {
		t.Errorf("viewer sees %d change buttons (%v)", n, err)
	}
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`(async () => {
		const s = await (await fetch('/console/api/session')).json();
		const r = await fetch('/console/api/projects/sales_dw/files/%d', {method: 'PUT', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
			body: JSON.stringify({content: 'DROP TABLE ods_orders;'})});
		return r.status;
	})()`, w.report.ID), chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Errorf("viewer's PUT from the page: %d %v, want 403", status, err)
	}
	got, err := w.srv.Server.Core.FindFile(w.rootContext(), sluice.ProjectByName("sales_dw"), w.report.ID)
	if err != nil || got.Content != reportSQL {
		t.Errorf("after the viewer's attempt: %v %+v", err, got)
	}

	// Shell and PyODPS files are highlighted as such.
	for name, mode := range map[string]string{"load_orders_03": "shell", "py_orders": "python"} {
		var page filePage
		if st := w.signIn("viewer").do("GET", "/console/api/projects/sales_dw/files?keyword="+name, nil, &page); st != 200 || len(page.Items) != 1 {
			t.Fatalf("find %s: %d %+v", name, st, page)
		}
		w.do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/console/projects/sales_dw/files/%d", w.srv.URL, page.Items[0].ID)),
			waitText("#file-name", name),
			waitJS(fmt.Sprintf(`!!document.querySelector('.CodeMirror') && document.querySelector('.CodeMirror').CodeMirror.getOption('mode') === %q`, mode)),
			waitJS(`!!document.querySelector('.CodeMirror .cm-builtin')`), // echo, print
		)
	}

	// At 400 px the tree sits above the list; the tree opens from the keyboard (its toggles are buttons).
	w.do(ctx,
		chromedp.EmulateViewport(400, 800),
		chromedp.Navigate(w.srv.URL+"/console/projects/sales_dw/files"),
		waitText(".files-tree", "销售"),
		chromedp.Focus(chromedp.CSS(`.files-tree button[aria-label="Open workflow 销售"]`)),
		chromedp.KeyEvent("\r"),
		waitText(".files-tree", "MaxCompute"),
		waitJS(`document.querySelector('.files-tree button[aria-label="Close workflow 销售"]').getAttribute('aria-expanded') === 'true'`),
		waitText(".files-list", "py_orders"),
	)
	w.screenshot(ctx, "files-narrow")
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("the files page scrolls sideways at 400 px (%v)", err)
	}
	w.do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/projects/sales_dw/files/%d", w.srv.URL, w.report.ID)),
		waitJS(`!!document.querySelector('.CodeMirror')`),
	)
	w.screenshot(ctx, "file-narrow")
	if wide, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); err != nil || wide {
		t.Errorf("the file page scrolls sideways at 400 px (%v)", err)
	}
}
