package console_test

// The console's test harness: a real server (sluicetest) with users who have passwords, an HTTP client that
// signs in like the page does, and a headless Chromium that signs in through the sign-in page. Every console
// test, API or browser, starts from here.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
	"github.com/sluice-dev/sluice/storetest"
)

// env is a running server with its root user.
type env struct {
	t    *testing.T
	srv  *sluicetest.Server
	root *native.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := newServer(t, sluicetest.Options{})
	return &env{t: t, srv: srv, root: srv.Client()}
}

// newServer starts a server for a test: on SQLite, or on PostgreSQL when SLUICE_E2E_DATABASE=postgres (as
// the end-to-end tests do; CI runs both).
func newServer(t *testing.T, o sluicetest.Options) *sluicetest.Server {
	t.Helper()
	if os.Getenv("SLUICE_E2E_DATABASE") == "postgres" && o.Database == "" {
		o.Database = storetest.PostgresDSN(t)(t)
	}
	return sluicetest.NewServer(t, o)
}

// password is every test user's password.
func password(user string) string { return "pw-" + user + "-secret" }

// rootContext carries the root user, for calls straight to the core.
func (e *env) rootContext() context.Context {
	_, u, err := e.srv.Server.Core.Authenticate(context.Background(), e.srv.AccessKeyID)
	if err != nil {
		e.t.Fatal(err)
	}
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: u})
}

// user creates a user with a password (password(name)) and the given project roles, creating the projects
// that do not exist yet (owned by root).
func (e *env) user(name string, roles map[string]sluice.Role) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.root.CreateUser(ctx, name, "member"); err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	if err := e.srv.Server.Core.SetPassword(e.rootContext(), name, password(name)); err != nil {
		e.t.Fatalf("set password of %s: %v", name, err)
	}
	for project, role := range roles {
		e.project(project)
		if _, err := e.root.PutMember(ctx, project, name, string(role)); err != nil {
			e.t.Fatalf("make %s %s of %s: %v", name, role, project, err)
		}
	}
}

// project creates a project owned by root unless it exists.
func (e *env) project(name string) {
	e.t.Helper()
	if _, err := e.root.GetProject(context.Background(), name); err == nil {
		return
	}
	if _, err := e.root.CreateProject(context.Background(), name, "", ""); err != nil {
		e.t.Fatalf("create project %s: %v", name, err)
	}
}

// client is the console API as a signed-in page calls it.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

// signIn signs user in through the API.
func (e *env) signIn(user string) *client {
	e.t.Helper()
	return e.signInWith(user, password(user))
}

// signInWith signs user in through the API with a password of its own.
func (e *env) signInWith(user, pw string) *client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: e.t, base: e.srv.URL, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	var s struct {
		CSRFToken string `json:"csrfToken"`
	}
	if status := c.do("POST", "/console/api/signin", map[string]string{"user": user, "password": pw}, &s); status != 200 {
		e.t.Fatalf("sign in %s: status %d", user, status)
	}
	c.csrf = s.CSRFToken
	return c
}

// do sends a console API request (path from /console/...) with the session's CSRF token and decodes the
// answer into out (when not nil); it returns the status.
func (c *client) do(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, b, err)
		}
	}
	return res.StatusCode
}

// --- the browser ---------------------------------------------------------------------------------------------

var (
	browserOnce  sync.Once
	browserAlloc context.Context
	browserCtx   context.Context
	browserErr   error
)

// chromium finds the browser: SLUICE_CHROMIUM, else chromium on the PATH. Without one the browser tests
// skip locally and fail in CI, which installs it (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SLUICE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium: .ci/run installs Debian's chromium package")
	}
	t.Skip("no Chromium on this machine (apt-get install chromium, or set SLUICE_CHROMIUM)")
	return ""
}

// browser opens a new browser context (its own cookies) with a 1280×900 window and signs user in through the
// sign-in page ("" stays signed out). It fails the test on any JavaScript exception or console error, such as
// a Content-Security-Policy violation; failed requests (a refused change the test provokes) are not errors.
func (e *env) browser(user string) context.Context {
	t := e.t
	t.Helper()
	path := chromium(t)
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900))
		browserAlloc, _ = chromedp.NewExecAllocator(context.Background(), opts...)
		// One browser for the whole test binary; each test has its own browser context.
		browserCtx, _ = chromedp.NewContext(browserAlloc)
		browserErr = chromedp.Do(browserCtx)
	})
	if browserErr != nil {
		t.Fatalf("start chromium: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError && m.Source != "network") || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String()+" at "+m.URL)
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser: %s", p)
		}
	})
	ctx, timeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(timeout)
	if user != "" {
		e.do(ctx,
			chromedp.Navigate(e.srv.URL+"/console/signin"),
			chromedp.WaitVisible(chromedp.ID("signin-user")),
			chromedp.SendKeys(chromedp.ID("signin-user"), user),
			chromedp.SendKeys(chromedp.ID("signin-password"), password(user)),
			chromedp.Click(chromedp.ID("signin-submit")),
			waitText("#whoami", user),
		)
	}
	return ctx
}

// do runs browser steps, failing the test with the page's address and text on error.
func (e *env) do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		e.t.Fatalf("browser: %v\n%s", err, e.pageState(ctx))
	}
}

// text returns the text of the first element matching the CSS selector sel.
func (e *env) text(ctx context.Context, sel string) string {
	e.t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		e.t.Fatalf("browser: text of %s: %v\n%s", sel, err, e.pageState(ctx))
	}
	return s
}

func (e *env) pageState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	url, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
	return "at " + url + "\npage text:\n" + text
}

// waitText waits until the element matching the CSS selector sel contains text. It polls from Go rather than
// in the page, so that it survives the page navigating meanwhile.
func waitText(sel, text string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(() => { const el = document.querySelector(%q); return !!el && el.textContent.includes(%q); })()`, sel, text))
}

// waitJS waits until the JavaScript expression is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	eval := chromedp.Evaluate[bool](expr)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			ok, err := eval(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				if err == nil {
					err = fmt.Errorf("still false after 20s: %s", expr)
				}
				return chromedp.Void{}, err
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// screenshot saves the page as docs/console/NAME.png when SLUICE_SCREENSHOTS names a directory (the
// screenshots in the docs are made this way: `SLUICE_SCREENSHOTS=docs/console go test ./console`).
func (e *env) screenshot(ctx context.Context, name string) {
	e.t.Helper()
	dir := os.Getenv("SLUICE_SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir) // tests run in console/; the path is from the repository's root
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		e.t.Fatal(err)
	}
}
