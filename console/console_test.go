package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sluice-dev/sluice"
)

// Every console page and API operation needs a session: pages send the browser to sign in, the API refuses.
func TestUnauthenticated(t *testing.T) {
	e := newEnv(t)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/console/", "/console/projects/proj_one/files", "/console/projects/proj_one/files/1", "/console/lineage"} {
		res, err := hc.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/signin?next=") {
			t.Errorf("GET %s: %d to %q, want 303 to the sign-in page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/console/api/session", "/console/api/projects", "/console/api/projects/proj_one", "/console/api/nothing"} {
		res, err := hc.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s: %d, want 401", path, res.StatusCode)
		}
	}
	// A wrong password and an unknown user get the same answer.
	e.user("alice", nil)
	c := &client{t: t, base: e.srv.URL, hc: hc}
	var bad, unknown struct{ Code, Message string }
	if s := c.do("POST", "/console/api/signin", map[string]string{"user": "alice", "password": "wrong password"}, &bad); s != 401 {
		t.Errorf("wrong password: %d", s)
	}
	if s := c.do("POST", "/console/api/signin", map[string]string{"user": "nobody", "password": "wrong password"}, &unknown); s != 401 {
		t.Errorf("unknown user: %d", s)
	}
	if bad != unknown {
		t.Errorf("wrong password %+v and unknown user %+v answer differently", bad, unknown)
	}
}

// A change needs the session's CSRF token and the console's own origin; reads do not.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.user("alice", map[string]sluice.Role{"proj_one": sluice.RoleDeveloper})
	c := e.signIn("alice")
	if s := c.do("GET", "/console/api/projects/proj_one", nil, nil); s != 200 {
		t.Fatalf("read: %d", s)
	}
	token := c.csrf
	for name, set := range map[string]func(){
		"no token":    func() { c.csrf = "" },
		"wrong token": func() { c.csrf = token + "x" },
	} {
		set()
		var out struct{ Code string }
		if s := c.do("POST", "/console/api/signout", nil, &out); s != http.StatusForbidden || out.Code != "Forbidden" {
			t.Errorf("%s: %d %s, want 403 Forbidden", name, s, out.Code)
		}
	}
	c.csrf = token
	// Another origin is refused even with the token.
	req, _ := http.NewRequest("POST", e.srv.URL+"/console/api/signout", nil)
	req.Header.Set("X-CSRF-Token", token)
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin change: %d, want 403", res.StatusCode)
	}
	// The session still works after the refused attempts; signing out ends it.
	if s := c.do("POST", "/console/api/signout", nil, nil); s != 200 {
		t.Fatalf("sign out: %d", s)
	}
	if s := c.do("GET", "/console/api/session", nil, nil); s != 401 {
		t.Errorf("after sign-out: %d, want 401", s)
	}
}

// The page is served with a policy that forbids inline scripts, and the assets it loads exist.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/console/signin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", res.Header)
	}
	for _, asset := range []string{"app.js", "lib.js", "signin.js", "style.css", "vendor/cytoscape.min.js"} {
		res, err := http.Get(e.srv.URL + "/console/assets/" + asset)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("asset %s: %d", asset, res.StatusCode)
		}
	}
	for _, hidden := range []string{"vendor/fetch.sh", "vendor/SHA256SUMS", "nothing.js"} {
		res, err := http.Get(e.srv.URL + "/console/assets/" + hidden)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 404 {
			t.Errorf("asset %s: %d, want 404", hidden, res.StatusCode)
		}
	}
}

// Signing in through the page lands on the project list, with the user's projects only.
func TestBrowserSignIn(t *testing.T) {
	e := newEnv(t)
	if _, err := e.root.CreateProject(context.Background(), "warehouse", "数据仓库", "中文注释"); err != nil {
		t.Fatal(err)
	}
	e.user("alice", map[string]sluice.Role{"sales_dw": sluice.RoleDeveloper, "warehouse": sluice.RoleViewer})
	e.project("hidden_one")
	ctx := e.browser("alice")
	e.do(ctx, waitText("main", "sales_dw"))
	text := e.text(ctx, "main")
	if !strings.Contains(text, "数据仓库") || strings.Contains(text, "hidden_one") {
		t.Errorf("project list:\n%s", text)
	}
	e.screenshot(ctx, "projects")
}

// The console is usable from the keyboard: Tab reaches a project link and Enter follows it.
func TestBrowserKeyboard(t *testing.T) {
	e := newEnv(t)
	e.user("alice", map[string]sluice.Role{"sales_dw": sluice.RoleDeveloper})
	ctx := e.browser("alice")
	e.do(ctx, waitText("main", "sales_dw"))
	// Tab through the page until the project's link has the focus (the skip link, the switcher, sign-out and
	// the filter come first), then press Enter.
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("Tab never reached the project link")
		}
		e.do(ctx, chromedp.KeyEvent(kb.Tab))
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.textContent : ''`))
		if err != nil {
			t.Fatal(err)
		}
		if focused == "sales_dw" {
			break
		}
	}
	e.do(ctx, chromedp.KeyEvent(kb.Enter), waitJS(`location.pathname.startsWith('/console/projects/sales_dw/')`))
}

// On a narrow window (a phone, a split screen) nothing runs off the side of the page.
func TestBrowserNarrow(t *testing.T) {
	e := newEnv(t)
	if _, err := e.root.CreateProject(context.Background(), "warehouse_with_a_long_name", "一个名字很长的数据仓库项目", "中文注释也很长很长很长"); err != nil {
		t.Fatal(err)
	}
	e.user("alice", map[string]sluice.Role{"warehouse_with_a_long_name": sluice.RoleViewer})
	ctx := e.browser("alice")
	e.do(ctx, chromedp.EmulateViewport(400, 800), chromedp.Reload(), waitText("main", "warehouse_with_a_long_name"))
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("the page is wider than a 400 px window")
	}
	e.screenshot(ctx, "narrow")
}
