package console_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sluicetest"
)

// resourceOut is a resource as the console API answers it.
type resourceOut struct {
	Name, Group, Kind, Status, Reason, SHA256, Owner string
	Size                                             int64
}

type resourceListing struct {
	Items      []resourceOut
	TotalCount int
	Uploading  int
	Groups     []struct {
		Name, Status  string
		ResourceCount int
	}
	Modules []struct{ Name string }
}

// put streams body as a resource the way the page does: a raw PUT with the CSRF token. size is the
// Content-Length to declare (-1: none, the body is sent chunked).
func (c *client) put(path string, body io.Reader, size int64, out any) int {
	c.t.Helper()
	req, _ := http.NewRequest("PUT", c.base+path, body)
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("PUT %s: %d %s: %v", path, res.StatusCode, b, err)
		}
	}
	return res.StatusCode
}

// get reads raw bytes and the response's headers.
func (c *client) get(path string) (int, []byte, http.Header) {
	c.t.Helper()
	res, err := c.hc.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

// onlyReader hides a body's length, so the client sends it chunked.
type onlyReader struct{ io.Reader }

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestResourcesAPI(t *testing.T) {
	e := newEnv(t)
	e.user("dev", map[string]sluice.Role{"res_api": sluice.RoleDeveloper})
	e.user("viewer", map[string]sluice.Role{"res_api": sluice.RoleViewer})
	dev, viewer := e.signIn("dev"), e.signIn("viewer")
	base := "/console/api/projects/res_api/resources"

	jar := randomBytes(300<<10, 1)
	var got resourceOut
	if s := dev.put(base+"/spark-app.jar?group=etl_jobs&kind=jar", bytes.NewReader(jar), int64(len(jar)), &got); s != 200 {
		t.Fatalf("upload: %d %+v", s, got)
	}
	if got.Status != "READY" || got.Size != int64(len(jar)) || got.SHA256 != hexSHA(jar) || got.Owner != "dev" {
		t.Errorf("uploaded: %+v", got)
	}
	// Without a Content-Length the body streams chunked; the size is what arrived.
	py := []byte("print('hello')\n")
	if s := dev.put(base+"/job.py?kind=pyfile", onlyReader{bytes.NewReader(py)}, -1, &got); s != 200 || got.Kind != "pyFile" || got.Size != int64(len(py)) {
		t.Fatalf("chunked upload: %d %+v", s, got)
	}

	var l resourceListing
	if s := viewer.do("GET", base, nil, &l); s != 200 {
		t.Fatalf("list: %d", s)
	}
	if l.TotalCount != 2 || len(l.Items) != 2 || len(l.Groups) != 1 || l.Groups[0].Name != "etl_jobs" || l.Groups[0].Status != "READY" || l.Uploading != 0 {
		t.Fatalf("listing: %+v", l)
	}
	// Ungrouped first, then by group.
	if l.Items[0].Name != "job.py" || l.Items[1].Name != "spark-app.jar" || l.Items[1].Group != "etl_jobs" ||
		l.Items[1].Status != "READY" || l.Items[1].Size != int64(len(jar)) || l.Items[1].SHA256 != hexSHA(jar) {
		t.Errorf("items: %+v", l.Items)
	}
	if s := viewer.do("GET", base+"?kind=jar", nil, &l); s != 200 || l.TotalCount != 1 || l.Items[0].Kind != "jar" {
		t.Errorf("by kind: %d %+v", s, l)
	}
	if s := viewer.do("GET", base+"?limit=1&offset=1", nil, &l); s != 200 || l.TotalCount != 2 || len(l.Items) != 1 || l.Items[0].Name != "spark-app.jar" {
		t.Errorf("second page: %d %+v", s, l)
	}

	// The download is the same bytes, with their size and digest.
	status, body, h := viewer.get(base + "/spark-app.jar/content?group=etl_jobs")
	if status != 200 || !bytes.Equal(body, jar) || h.Get("X-Sluice-Sha256") != hexSHA(jar) || !strings.Contains(h.Get("Content-Disposition"), "spark-app.jar") {
		t.Errorf("download: %d, %d bytes, headers %v", status, len(body), h)
	}
	if s := viewer.do("GET", base+"/spark-app.jar?group=etl_jobs", nil, &got); s != 200 || got.SHA256 != hexSHA(jar) {
		t.Errorf("detail: %d %+v", s, got)
	}

	// A viewer may not upload or delete, and nothing changes.
	var e403 struct{ Code string }
	if s := viewer.put(base+"/evil.jar?kind=jar", strings.NewReader("x"), 1, &e403); s != 403 || e403.Code != "Forbidden" {
		t.Errorf("viewer upload: %d %+v", s, e403)
	}
	if s := viewer.do("DELETE", base+"/spark-app.jar?group=etl_jobs", nil, &e403); s != 403 || e403.Code != "Forbidden" {
		t.Errorf("viewer delete: %d %+v", s, e403)
	}
	if s := viewer.do("GET", base, nil, &l); s != 200 || l.TotalCount != 2 {
		t.Errorf("after the viewer's attempts: %+v", l)
	}

	// Bad input is refused with a reason and stores nothing.
	for name, path := range map[string]string{
		"bad kind":     base + "/a.bin?kind=exe",
		"no kind":      base + "/a.bin",
		"bad group":    base + "/a.bin?kind=file&group=" + url.QueryEscape("no spaces"),
		"bad name":     base + "/.hidden?kind=file",
		"CJK name":     base + "/" + url.PathEscape("数据.csv") + "?kind=file",
		"long group":   base + "/a.bin?kind=file&group=" + strings.Repeat("g", 65),
		"bad tag list": base + "?tag=novalue",
	} {
		var p struct{ Code, Message string }
		var s int
		if strings.Contains(path, "?tag=") {
			s = dev.do("GET", path, nil, &p)
		} else {
			s = dev.put(path, strings.NewReader("abc"), 3, &p)
		}
		if s != 400 || p.Code != "InvalidParameter" || p.Message == "" {
			t.Errorf("%s: %d %+v", name, s, p)
		}
	}
	if s := viewer.do("GET", base, nil, &l); s != 200 || l.TotalCount != 2 {
		t.Errorf("after bad input: %+v", l)
	}

	// Delete: the resource and its group go.
	var del struct {
		Name    string
		Deleted bool
	}
	if s := dev.do("DELETE", base+"/spark-app.jar?group=etl_jobs", nil, &del); s != 200 || !del.Deleted {
		t.Fatalf("delete: %d %+v", s, del)
	}
	if s := dev.do("GET", base+"/spark-app.jar?group=etl_jobs", nil, nil); s != 404 {
		t.Errorf("deleted resource: %d, want 404", s)
	}
	if s := viewer.do("GET", base, nil, &l); s != 200 || l.TotalCount != 1 || len(l.Groups) != 0 {
		t.Errorf("after delete: %+v", l)
	}
	// Someone outside the project sees nothing of it.
	e.user("stranger", map[string]sluice.Role{"elsewhere": sluice.RoleOwner})
	if s := e.signIn("stranger").do("GET", base, nil, nil); s != 404 && s != 403 {
		t.Errorf("stranger: %d", s)
	}
}

func TestBrowserResources(t *testing.T) {
	e := newEnv(t)
	if _, err := e.root.CreateProject(context.Background(), "res_web", "资源中心", "作业依赖的文件"); err != nil {
		t.Fatal(err)
	}
	e.user("dev", map[string]sluice.Role{"res_web": sluice.RoleDeveloper})
	e.user("viewer", map[string]sluice.Role{"res_web": sluice.RoleViewer})
	dir := t.TempDir()
	file := filepath.Join(dir, "spark-app.jar")
	data := randomBytes(3<<20, 2)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dev := e.signIn("dev")
	if s := dev.put("/console/api/projects/res_web/resources/udf.py?kind=pyFile&group=udfs", strings.NewReader("def f(x):\n    return x\n"), -1, nil); s != 200 {
		t.Fatalf("seed upload: %d", s)
	}

	ctx := e.browser("dev")
	e.do(ctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/res_web/resources"),
		waitText("main h1", "资源中心"),
		waitText("main", "udf.py"),
		chromedp.SetUploadFiles(chromedp.CSS("#res-file"), []string{file}),
		waitJS(`document.querySelector('#res-name').value === 'spark-app.jar' && document.querySelector('#res-kind').value === 'jar'`),
		chromedp.SendKeys(chromedp.CSS("#res-group"), "etl_jobs"),
		chromedp.Click(chromedp.CSS("#res-upload")),
		waitJS(`document.querySelector('form.res-upload').dataset.state === 'done'`),
		waitJS(`(() => { const p = document.querySelector('#res-progress'); return !p.hidden && p.value > 0 && p.value === p.max; })()`),
		waitText(`tr[data-name="spark-app.jar"] .badge`, "READY"),
		waitText("#res-progress-text", "Uploaded spark-app.jar"),
	)
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('tr[data-name="spark-app.jar"] a.res-download[download]').getAttribute('href')`))
	if err != nil || href != "/console/api/projects/res_web/resources/spark-app.jar/content?group=etl_jobs" {
		t.Errorf("download link %q: %v", href, err)
	}
	text := e.text(ctx, "main")
	for _, want := range []string{"Group etl_jobs", "3.0 MiB", "Group udfs", "pyFile"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q:\n%s", want, text)
		}
	}
	// The link downloads the bytes uploaded.
	status, body, _ := dev.get(href)
	if status != 200 || !bytes.Equal(body, data) {
		t.Errorf("download through the page's link: %d, %d bytes", status, len(body))
	}
	e.screenshot(ctx, "resources")

	// At 400 px the actions stay reachable.
	e.do(ctx, chromedp.EmulateViewport(400, 900), waitJS(`document.querySelector('tr[data-name="spark-app.jar"] a.res-download').getBoundingClientRect().width > 0`))
	e.screenshot(ctx, "resources-narrow")

	// A viewer sees the resources and the download links, not the upload form nor delete.
	vctx := e.browser("viewer")
	e.do(vctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/res_web/resources"),
		waitText(`tr[data-name="spark-app.jar"] .badge`, "READY"),
	)
	n, err := chromedp.Run(vctx, chromedp.Evaluate[int](`document.querySelectorAll('#res-file, .res-delete').length * 100 + document.querySelectorAll('a.res-download').length`))
	if err != nil || n != 2 {
		t.Errorf("viewer's controls: %d (want no upload or delete, two downloads): %v", n, err)
	}
}

// Resources copied in from a path by another API arrive UPLOADING; the page polls until they end, READY
// or FAILED with the reason shown.
func TestBrowserResourceUploadStates(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, sluicetest.Options{ImportRoots: []string{dir}})
	e := &env{t: t, srv: srv, root: srv.Client()}
	e.user("dev", map[string]sluice.Role{"res_states": sluice.RoleDeveloper})
	for _, name := range []string{"model.bin", "gone.bin"} {
		if err := os.WriteFile(filepath.Join(dir, name), randomBytes(64<<10, 3), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := e.browser("dev")
	e.do(ctx, chromedp.Navigate(e.srv.URL+"/console/projects/res_states/resources"), waitText("main", "No resources yet"))

	// Asynchronous uploads answer UPLOADING at once; the server's job copies them a moment later. The
	// source of gone.bin is removed before the job opens it, so that one fails.
	core := e.srv.Server.Core
	for _, name := range []string{"model.bin", "gone.bin"} {
		g, err := core.UploadResources(e.rootContext(), sluice.ProjectByName("res_states"), sluice.ResourceUpload{
			Sources: []string{"file://" + filepath.Join(dir, name)}, Kind: sluice.KindModelFile, Group: "models", Async: true})
		if err != nil || g.Resources[0].Status != sluice.UploadUploading {
			t.Fatalf("async upload of %s: %v", name, err)
		}
	}
	if err := os.Remove(filepath.Join(dir, "gone.bin")); err != nil {
		t.Fatal(err)
	}
	e.do(ctx,
		chromedp.Navigate(e.srv.URL+"/console/projects/res_states/resources"),
		waitJS(`!!document.querySelector('tr[data-name="model.bin"]')`))
	if s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`tr[data-name="model.bin"] .badge`))); s == "UPLOADING" {
		t.Log("the page showed model.bin UPLOADING and polls")
	}
	// No reload from here: the page's polling brings the end states in.
	e.do(ctx,
		waitText(`tr[data-name="model.bin"] .badge`, "READY"),
		waitText(`tr[data-name="gone.bin"] .badge`, "FAILED"),
		waitJS(`document.querySelector('tr[data-name="gone.bin"] .res-reason').textContent.length > 0`),
		waitJS(`!document.querySelector('tr[data-name="gone.bin"] a.res-download')`),
	)
	e.screenshot(ctx, "resources-states")
}
