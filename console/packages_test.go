package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sluice-dev/sluice"
)

type packageOut struct {
	Name, Project  string
	Own, Installed bool
	Objects        []struct {
		Type, Schema, Name string
		Actions            []string
	}
	Allowed []struct {
		Project string
		Label   int
	}
}

type packageListing struct {
	Created struct {
		Items []struct {
			Name, Project string
		}
		TotalCount int
	}
	Installed struct {
		Items []struct {
			Name, SourceProject, Status string
		}
		TotalCount int
	}
}

type problem struct{ Code, Message string }

func TestPackagesAPI(t *testing.T) {
	e := newEnv(t)
	e.user("alice", map[string]sluice.Role{"pkg_src": sluice.RoleAdmin})
	e.user("carol", map[string]sluice.Role{"pkg_src": sluice.RoleDeveloper})
	e.user("bob", map[string]sluice.Role{"pkg_dst": sluice.RoleAdmin})
	e.user("dave", map[string]sluice.Role{"pkg_dst": sluice.RoleViewer})
	e.user("mallory", map[string]sluice.Role{"pkg_other": sluice.RoleAdmin})
	ctx := context.Background()
	if _, err := e.root.RunSQL(ctx, "pkg_src", "CREATE TABLE sales (id BIGINT, region STRING) COMMENT '销售明细';"); err != nil {
		t.Fatal(err)
	}
	alice, carol, bob, dave, mallory := e.signIn("alice"), e.signIn("carol"), e.signIn("bob"), e.signIn("dave"), e.signIn("mallory")
	src := "/console/api/projects/pkg_src"
	dst := "/console/api/projects/pkg_dst"

	// Packages are the admin's: a developer is refused, by the core.
	var p problem
	if s := carol.do("POST", src+"/packages", map[string]string{"name": "shared"}, &p); s != 403 || p.Code != "Forbidden" {
		t.Errorf("developer creates: %d %+v", s, p)
	}
	for name, body := range map[string]any{
		"bad name":      map[string]string{"name": "1shared"},
		"no name":       map[string]string{"name": " "},
		"unknown field": map[string]string{"name": "shared", "colour": "red"},
	} {
		if s := alice.do("POST", src+"/packages", body, &p); s != 400 || p.Code != "InvalidParameter" {
			t.Errorf("%s: %d %+v", name, s, p)
		}
	}
	var pkg packageOut
	if s := alice.do("POST", src+"/packages", map[string]string{"name": "Shared"}, &pkg); s != 200 || pkg.Name != "shared" || !pkg.Own {
		t.Fatalf("create: %d %+v", s, pkg)
	}
	if s := alice.do("POST", src+"/packages", map[string]string{"name": "shared"}, &p); s != 409 {
		t.Errorf("create twice: %d %+v", s, p)
	}

	// Objects: the table with two actions; a missing table and a bad type are refused.
	if s := alice.do("POST", src+"/packages/shared/objects", map[string]any{"type": "table", "name": "sales", "actions": []string{"Describe", "select"}}, &pkg); s != 200 {
		t.Fatalf("add table: %d %+v", s, pkg)
	}
	if len(pkg.Objects) != 1 || pkg.Objects[0].Name != "sales" || strings.Join(pkg.Objects[0].Actions, ",") != "describe,select" {
		t.Errorf("objects: %+v", pkg.Objects)
	}
	if s := alice.do("POST", src+"/packages/shared/objects", map[string]any{"type": "table", "name": "nothing"}, &p); s != 404 {
		t.Errorf("add missing table: %d %+v", s, p)
	}
	if s := alice.do("POST", src+"/packages/shared/objects", map[string]any{"type": "view", "name": "sales"}, &p); s != 400 {
		t.Errorf("add bad type: %d %+v", s, p)
	}
	if s := carol.do("POST", src+"/packages/shared/objects", map[string]any{"type": "table", "name": "sales"}, &p); s != 403 {
		t.Errorf("developer adds: %d %+v", s, p)
	}

	// Allow pkg_dst with label 2; a label out of range and the package's own project are refused.
	if s := alice.do("POST", src+"/packages/shared/allow", map[string]any{"project": "pkg_src"}, &p); s != 400 {
		t.Errorf("allow own project: %d %+v", s, p)
	}
	if s := alice.do("POST", src+"/packages/shared/allow", map[string]any{"project": "pkg_dst", "label": 12}, &p); s != 400 {
		t.Errorf("allow label 12: %d %+v", s, p)
	}
	if s := alice.do("POST", src+"/packages/shared/allow", map[string]any{"project": "pkg_dst", "label": 2}, &pkg); s != 200 ||
		len(pkg.Allowed) != 1 || pkg.Allowed[0].Project != "pkg_dst" || pkg.Allowed[0].Label != 2 {
		t.Fatalf("allow: %d %+v", s, pkg)
	}
	if s := alice.do("GET", src+"/packages/shared", nil, &pkg); s != 200 || len(pkg.Objects) != 1 || len(pkg.Allowed) != 1 {
		t.Errorf("detail: %d %+v", s, pkg)
	}

	// A viewer of the consumer may not install; its admin may.
	if s := dave.do("POST", dst+"/installs", map[string]string{"source": "pkg_src", "name": "shared"}, &p); s != 403 || p.Code != "Forbidden" {
		t.Errorf("viewer installs: %d %+v", s, p)
	}
	if s := bob.do("POST", dst+"/installs", map[string]string{"source": "", "name": "shared"}, &p); s != 400 {
		t.Errorf("install without source: %d %+v", s, p)
	}
	if s := bob.do("POST", dst+"/installs", map[string]string{"source": "pkg_dst", "name": "shared"}, &p); s != 400 {
		t.Errorf("install from itself: %d %+v", s, p)
	}
	var in struct{ Name, SourceProject, Status string }
	if s := bob.do("POST", dst+"/installs", map[string]string{"source": "pkg_src", "name": "shared"}, &in); s != 200 || in.Name != "shared" || in.Status != "OK" {
		t.Fatalf("install: %d %+v", s, in)
	}
	var l packageListing
	if s := dave.do("GET", dst+"/packages", nil, &l); s != 200 || l.Installed.TotalCount != 1 || l.Installed.Items[0].SourceProject != "pkg_src" || l.Created.TotalCount != 0 {
		t.Errorf("consumer's listing: %d %+v", s, l)
	}
	if s := alice.do("GET", src+"/packages", nil, &l); s != 200 || l.Created.TotalCount != 1 || l.Created.Items[0].Name != "shared" {
		t.Errorf("source's listing: %d %+v", s, l)
	}
	// Seen from the consumer, the package shows its objects and only the consumer's own allow-list entry.
	if s := dave.do("GET", dst+"/packages/shared?source=pkg_src", nil, &pkg); s != 200 || !pkg.Installed || pkg.Own ||
		len(pkg.Objects) != 1 || len(pkg.Allowed) != 1 || pkg.Allowed[0].Project != "pkg_dst" {
		t.Errorf("installed detail: %d %+v", s, pkg)
	}

	// A project not offered the package learns nothing of pkg_src: its refusal is the one for a project or a
	// package that does not exist, naming neither.
	refusals := map[string]problem{}
	for _, target := range [][2]string{{"pkg_src", "shared"}, {"pkg_src", "nothing"}, {"no_such_project", "shared"}} {
		var p problem
		s := mallory.do("POST", "/console/api/projects/pkg_other/installs", map[string]string{"source": target[0], "name": target[1]}, &p)
		if s != 403 || p.Code != "Forbidden" || strings.Contains(p.Message, target[0]) || strings.Contains(p.Message, target[1]) {
			t.Errorf("install %s.%s into pkg_other: %d %+v", target[0], target[1], s, p)
		}
		refusals[target[0]+"."+target[1]] = p
		var read problem
		if s := mallory.do("GET", "/console/api/projects/pkg_other/packages/"+target[1]+"?source="+target[0], nil, &read); s != 403 || read.Message != p.Message {
			t.Errorf("read %s.%s from pkg_other: %d %+v", target[0], target[1], s, read)
		}
	}
	if a, b, c := refusals["pkg_src.shared"], refusals["pkg_src.nothing"], refusals["no_such_project.shared"]; a != b || b != c {
		t.Errorf("refusals differ: %+v / %+v / %+v", a, b, c)
	}
	if s := mallory.do("GET", "/console/api/projects/pkg_other/packages", nil, &l); s != 200 || l.Installed.TotalCount != 0 {
		t.Errorf("pkg_other's listing: %+v", l)
	}
	// Nor may mallory read pkg_src's own packages.
	if s := mallory.do("GET", src+"/packages", nil, &p); s != 404 && s != 403 {
		t.Errorf("stranger lists pkg_src's packages: %d", s)
	}

	// Remove the object, disallow (which uninstalls), uninstall answers not found afterwards.
	if s := dave.do("DELETE", dst+"/installs/pkg_src/shared", nil, &p); s != 403 {
		t.Errorf("viewer uninstalls: %d %+v", s, p)
	}
	if s := alice.do("DELETE", src+"/packages/shared/objects/table/sales", nil, &pkg); s != 200 || len(pkg.Objects) != 0 {
		t.Errorf("remove object: %d %+v", s, pkg)
	}
	if s := bob.do("DELETE", dst+"/installs/pkg_src/shared", nil, nil); s != 200 {
		t.Errorf("uninstall: %d", s)
	}
	if s := alice.do("DELETE", src+"/packages/shared/allow/pkg_dst", nil, &pkg); s != 200 || len(pkg.Allowed) != 0 {
		t.Errorf("disallow: %d %+v", s, pkg)
	}
	if s := bob.do("POST", dst+"/installs", map[string]string{"source": "pkg_src", "name": "shared"}, &p); s != 403 {
		t.Errorf("install after disallow: %d %+v", s, p)
	}
}

func TestBrowserPackages(t *testing.T) {
	e := newEnv(t)
	ctx0 := context.Background()
	if _, err := e.root.CreateProject(ctx0, "sales_dw", "销售数仓", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.root.CreateProject(ctx0, "finance_dw", "财务数仓", ""); err != nil {
		t.Fatal(err)
	}
	e.user("alice", map[string]sluice.Role{"sales_dw": sluice.RoleAdmin})
	e.user("bob", map[string]sluice.Role{"finance_dw": sluice.RoleAdmin})
	e.user("dave", map[string]sluice.Role{"finance_dw": sluice.RoleViewer})
	if _, err := e.root.RunSQL(ctx0, "sales_dw", "CREATE TABLE orders (id BIGINT, amount DECIMAL(18,2)) COMMENT '订单';"); err != nil {
		t.Fatal(err)
	}

	ctx := e.browser("alice")
	e.do(ctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/sales_dw/packages"),
		waitText("main h1", "销售数仓"),
		waitText("#pkg-created-empty", "No package"),
		chromedp.SendKeys(chromedp.CSS("#pkg-new-name"), "shared_orders"),
		chromedp.Click(chromedp.CSS("#pkg-create")),
		waitText("#pkg-title", "sales_dw.shared_orders"),
		chromedp.SendKeys(chromedp.CSS("#pkg-add-name"), "orders"),
		chromedp.SendKeys(chromedp.CSS("#pkg-add-actions"), "describe, select"),
		chromedp.Click(chromedp.CSS("#pkg-add")),
		waitText("table.pkg-objects", "orders"),
		waitText("table.pkg-objects", "select"),
		chromedp.SendKeys(chromedp.CSS("#pkg-allow-project"), "finance_dw"),
		chromedp.SetValue(chromedp.CSS("#pkg-allow-label"), "3"),
		chromedp.Click(chromedp.CSS("#pkg-allow")),
		waitText("table.pkg-allowed", "finance_dw"),
	)
	if text := e.text(ctx, "table.pkg-allowed"); !strings.Contains(text, "3") {
		t.Errorf("allow-list: %s", text)
	}
	e.screenshot(ctx, "packages-detail")
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/sales_dw/packages"), waitText("table.pkg-created", "shared_orders"))
	e.screenshot(ctx, "packages")

	// The admin of finance_dw installs it from the page; a refused install shows the core's refusal.
	bctx := e.browser("bob")
	e.do(bctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/finance_dw/packages"),
		waitText("main h1", "财务数仓"),
		chromedp.SendKeys(chromedp.CSS("#pkg-install-source"), "sales_dw"),
		chromedp.SendKeys(chromedp.CSS("#pkg-install-name"), "not_offered"),
		chromedp.Click(chromedp.CSS("#pkg-install")),
		waitText("form.pkg-install .error-box", "no access"),
		chromedp.SetValue(chromedp.CSS("#pkg-install-name"), "shared_orders"),
		chromedp.Click(chromedp.CSS("#pkg-install")),
		waitText("table.pkg-installed", "sales_dw.shared_orders"),
		waitText("table.pkg-installed .badge", "OK"),
		chromedp.Click(chromedp.CSS("table.pkg-installed a")),
		waitText("#pkg-state", "Installed into finance_dw"),
		waitText("table.pkg-objects", "orders"),
	)
	e.screenshot(bctx, "packages-installed")
	// At 400 px the lists and the forms stack and stay usable.
	e.do(ctx, chromedp.EmulateViewport(400, 900), waitJS(`document.querySelector('#pkg-install').getBoundingClientRect().width > 200`))
	e.screenshot(ctx, "packages-narrow")
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/sales_dw/packages/shared_orders"),
		waitJS(`document.querySelector('td.pkg-remove button').getBoundingClientRect().width > 0`))

	// A viewer reads the packages but gets no forms.
	dctx := e.browser("dave")
	e.do(dctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/finance_dw/packages"),
		waitText("table.pkg-installed", "sales_dw.shared_orders"),
	)
	n, err := chromedp.Run(dctx, chromedp.Evaluate[int](`document.querySelectorAll('main form').length`))
	if err != nil || n != 0 {
		t.Errorf("viewer's forms: %d %v", n, err)
	}
}
