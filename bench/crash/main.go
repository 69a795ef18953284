//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them

// Command crash kills a Sluice server with SIGKILL at random moments while writers drive it through the
// vendors' SDKs and the native client, restarts it each time, and then checks that nothing acknowledged was
// lost and nothing was left broken (docs/hardening.md, "Crash safety"). run.sh builds the binary and runs it.
//
//	crash -sluice BIN -work DIR [-database postgres://...] -kills 100
//
// Every write a client saw answered is remembered with the state it leaves. A write whose answer was lost
// (the connection died with the server) may or may not have happened: the next read of that object must
// show one of the two states, and then that state is the known one. At the end every object is read again,
// every READY resource downloaded and hashed, and, with the server stopped, the database's own integrity
// check run and the blob store compared with the rows that hold its keys.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/bench/internal/benchserve"
	"github.com/sluice-dev/sluice/blob/fileblob"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/sqlstore"
)

var (
	bin      = flag.String("sluice", "", "the sluice binary")
	work     = flag.String("work", "", "a directory for the server's data and logs")
	database = flag.String("database", "", "a PostgreSQL URL of an empty database; empty: SQLite in the data directory")
	kills    = flag.Int("kills", 100, "SIGKILLs")
	minDelay = flag.Duration("min-delay", 200*time.Millisecond, "shortest run between a restart and the next kill")
	maxDelay = flag.Duration("max-delay", 3*time.Second, "longest run between a restart and the next kill")
	writers  = flag.Int("writers", 1, "writers of each kind (files, tables, packages, resources)")
	lease    = flag.Duration("lease", 2*time.Second, "the server's job lease (SLUICE_JOB_LEASE)")
	calm     = flag.Duration("calm", 5*time.Second, "load without kills after the last restart, before the checks")
)

const (
	projectA = "crash_a" // everything is written here
	projectB = "crash_b" // installs packages of crash_a
)

func main() {
	flag.Parse()
	if *bin == "" || *work == "" {
		fmt.Fprintln(os.Stderr, "crash: -sluice and -work are required")
		os.Exit(2)
	}
	start := time.Now()
	r := &run{dataDir: filepath.Join(*work, "data"), up: newGate()}
	if err := r.main(); err != nil {
		fmt.Fprintln(os.Stderr, "crash:", err)
		os.Exit(2)
	}
	r.report(time.Since(start))
	if len(r.violations) > 0 {
		os.Exit(1)
	}
}

// run is one crash run: the server, the writers' shared state and what was found.
type run struct {
	dataDir  string
	addr     string
	endpoint string
	server   *exec.Cmd
	logs     *os.File
	lostLog  *os.File // every write whose answer was lost, with its error
	opsLog   *os.File // every resource write and read, for tracing a violation
	up       *gate
	source   string // host:port of the web server async uploads copy from

	kills     []time.Time // when each SIGKILL was sent
	lastStart time.Time   // when the last server was started
	restarts  []time.Duration

	mu         sync.Mutex
	violations []string
	acked      map[string]int // acknowledged writes by kind
	lost       map[string]int // writes whose answer was lost (outcome unknown until read)
	refused    map[string]int // writes refused with a 4xx: nothing changed
	checked    map[string]int // objects read back at the end, by kind
	notes      []string       // what the report says besides the counts

	admin    *native.Client
	pA, pB   native.Project
	files    []*fileWriter
	tables   []*tableWriter
	packages []*packageWriter
	res      []*resourceWriter
}

func (r *run) violate(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	r.violations = append(r.violations, msg)
	fmt.Fprintln(os.Stderr, "VIOLATION:", msg)
}

func (r *run) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *run) count(m map[string]int, kind string) {
	r.mu.Lock()
	m[kind]++
	r.mu.Unlock()
}

// outcome is what a write's answer says about it.
type outcome int

const (
	done    outcome = iota // answered with success: it must be there
	refused                // answered 4xx, or never sent: nothing changed
	unknown                // the answer was lost or 5xx: it may or may not have happened
)

// classify reads an error of any of the clients used here.
func classify(err error) outcome {
	if err == nil {
		return done
	}
	status := 0
	var old *sdkerrors.ServerError
	var hw *sdkerr.ServiceResponseError
	var te *tea.SDKError
	var de *dara.SDKError
	var ne *native.Error
	switch {
	case errors.As(err, &old):
		status = old.HttpStatus()
	case errors.As(err, &hw):
		status = hw.StatusCode
	case errors.As(err, &te):
		status = dara.IntValue(te.StatusCode)
	case errors.As(err, &de):
		status = dara.IntValue(de.StatusCode)
	case errors.As(err, &ne):
		status = ne.Status
	}
	// A client that sends a request again after its connection died (the Huawei SDK does) is refused as a
	// replay when the first copy reached the server: that copy may have been carried out.
	if msg := err.Error(); strings.Contains(msg, "(replay)") || strings.Contains(msg, "SignatureNonceUsed") {
		return unknown
	}
	if status >= 400 && status < 500 {
		return refused
	}
	// A refused connection sent nothing.
	if status == 0 && strings.Contains(err.Error(), "connection refused") {
		return refused
	}
	return unknown
}

// isNotFound says whether err is a 404 (the object does not exist).
func isNotFound(err error) bool {
	var old *sdkerrors.ServerError
	var hw *sdkerr.ServiceResponseError
	var te *tea.SDKError
	var ne *native.Error
	switch {
	case errors.As(err, &old):
		return old.HttpStatus() == 404 || strings.Contains(old.ErrorCode(), "NotExist")
	case errors.As(err, &hw):
		return hw.StatusCode == 404
	case errors.As(err, &te):
		return dara.IntValue(te.StatusCode) == 404
	case errors.As(err, &ne):
		return ne.Status == 404
	}
	return false
}

// write records a write's outcome under kind and returns it; a refusal is printed, as none is expected.
func (r *run) write(kind string, err error) outcome {
	o := classify(err)
	switch o {
	case done:
		r.count(r.acked, kind)
	case unknown:
		r.count(r.lost, kind)
		fmt.Fprintf(r.lostLog, "%s %s: %.300s\n", time.Now().UTC().Format(time.RFC3339Nano), kind, err)
	case refused:
		r.count(r.refused, kind)
		if !strings.Contains(err.Error(), "connection refused") {
			fmt.Fprintf(os.Stderr, "crash: %s refused: %v\n", kind, err)
		}
	}
	return o
}

// known is what the checker knows of one object: its state, or (after a lost answer) the states it may be
// in, until a read settles it.
type known[S any] struct {
	state S
	maybe []S // not empty: the state is one of these, to be read
}

// apply records a write's outcome: after it the object is next (done), as it was (refused), or either.
func (k *known[S]) apply(r *run, kind string, err error, next S) {
	switch r.write(kind, err) {
	case done:
		k.state = next
	case unknown:
		k.maybe = []S{k.state, next}
	}
}

// want is the states the object may be in.
func (k *known[S]) want() []S {
	if len(k.maybe) > 0 {
		return k.maybe
	}
	return []S{k.state}
}

// settle reads an object whose state is uncertain and checks it is one of those it may be in; false when the
// read itself failed (the object stays uncertain).
func (k *known[S]) settle(r *run, what string, read func() (S, bool), equal func(S, S) bool) bool {
	if len(k.maybe) == 0 {
		return true
	}
	s, ok := read()
	if !ok {
		return false
	}
	if !slices.ContainsFunc(k.maybe, func(m S) bool { return equal(m, s) }) {
		r.violate("%s: %+v, want one of %+v", what, s, k.maybe)
	}
	k.state, k.maybe = s, nil
	return true
}

// final reads an object after the last restart and checks it is in a state its writes allow.
func (k *known[S]) final(r *run, what, kind string, read func() (S, bool), equal func(S, S) bool) {
	s, ok := read()
	if !ok {
		r.violate("%s: cannot be read at the end", what)
		return
	}
	if want := k.want(); !slices.ContainsFunc(want, func(m S) bool { return equal(m, s) }) {
		r.violate("%s at the end: %+v, want one of %+v", what, s, want)
	}
	r.count(r.checked, kind)
}

// gate is open while the server runs; writers wait at it while it is down.
type gate struct {
	mu sync.Mutex
	ch chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) wait(ctx context.Context) bool {
	g.mu.Lock()
	ch := g.ch
	g.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

func (g *gate) open() { g.mu.Lock(); close(g.ch); g.mu.Unlock() }

func (g *gate) shut() { g.mu.Lock(); g.ch = make(chan struct{}); g.mu.Unlock() }

// startServer starts `sluice serve` on r.addr and waits until it answers.
func (r *run) startServer() error {
	args := []string{"serve", "--listen", r.addr, "--data-dir", r.dataDir, "--log-level", "warn"}
	if *database != "" {
		args = append(args, "--database", *database)
	}
	cmd := exec.Command(*bin, args...)
	cmd.Env = append(os.Environ(), envvar.RootAccessKeyID+"="+benchserve.RootKey, envvar.RootAccessKeySecret+"="+benchserve.RootSecret,
		envvar.FetchAllowHost+"="+r.source, envvar.FetchAllowPrivate+"="+r.source, envvar.JobLease+"="+lease.String())
	cmd.Stdout, cmd.Stderr = r.logs, r.logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // the server does not outlive this program
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	r.server = cmd
	r.lastStart = t
	for time.Since(t) < 2*time.Minute {
		if resp, err := http.Get(r.endpoint + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				r.restarts = append(r.restarts, time.Since(t))
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the server did not answer /healthz within 2 minutes (log %s)", r.logs.Name())
}

func (r *run) kill() {
	r.up.shut()
	r.server.Process.Signal(syscall.SIGKILL)
	r.server.Wait()
	r.kills = append(r.kills, time.Now())
}

// stop stops the server cleanly (SIGINT) and fails if it does not exit 0.
func (r *run) stop() error {
	r.up.shut()
	r.server.Process.Signal(os.Interrupt)
	if err := r.server.Wait(); err != nil {
		return fmt.Errorf("the server's clean stop: %v", err)
	}
	return nil
}

func (r *run) main() error {
	r.acked, r.lost, r.refused, r.checked = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	if err := os.MkdirAll(r.dataDir, 0o700); err != nil {
		return err
	}
	logs, err := os.Create(filepath.Join(*work, "serve.log"))
	if err != nil {
		return err
	}
	r.logs = logs
	if r.lostLog, err = os.Create(filepath.Join(*work, "lost.log")); err != nil {
		return err
	}
	if r.opsLog, err = os.Create(filepath.Join(*work, "resources.log")); err != nil {
		return err
	}
	src, err := serveSource()
	if err != nil {
		return err
	}
	r.source = src
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	r.addr = ln.Addr().String()
	ln.Close()
	r.endpoint = "http://" + r.addr
	if err := r.startServer(); err != nil {
		return err
	}
	r.up.open()
	ctx := context.Background()
	r.admin = &native.Client{Endpoint: r.endpoint, AccessKeyID: benchserve.RootKey, AccessKeySecret: benchserve.RootSecret}
	if r.pA, err = r.admin.CreateProject(ctx, projectA, "", "crash test"); err != nil {
		return err
	}
	if r.pB, err = r.admin.CreateProject(ctx, projectB, "", "installs crash_a's packages"); err != nil {
		return err
	}
	for w := range *writers {
		r.files = append(r.files, &fileWriter{r: r, w: w, dw: r.dataWorks(), files: map[string]*fileObj{}})
		r.tables = append(r.tables, &tableWriter{r: r, w: w, mc: r.maxCompute(), tables: map[string]*tableObj{}})
		r.packages = append(r.packages, &packageWriter{r: r, w: w, mc: r.maxCompute(), pkgs: map[string]*pkgObj{}})
		r.res = append(r.res, &resourceWriter{r: r, w: w, dli: r.dliClient(), res: map[string]*resObj{}})
	}
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var ops atomic.Int64
	loop := func(step func(ctx context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r.up.wait(loadCtx) {
				step(ctx) // not loadCtx: a write is never cut off by the end of the load, only by a kill
				ops.Add(1)
				// A pause, so that no writer crowds out the others on a small machine.
				time.Sleep(rand.N(50 * time.Millisecond))
			}
		}()
	}
	for w := range *writers {
		loop(r.files[w].step)
		loop(r.tables[w].step)
		loop(r.packages[w].step)
		loop(r.res[w].step)
		loop(r.res[w].step) // resources get two: uploads take longest
	}

	for i := 1; i <= *kills; i++ {
		d := *minDelay + rand.N(*maxDelay-*minDelay+1)
		time.Sleep(d)
		r.kill()
		if err := r.startServer(); err != nil {
			stopLoad()
			return err
		}
		r.up.open()
		if i%10 == 0 || i == *kills {
			fmt.Printf("kill %d/%d, %d operations so far\n", i, *kills, ops.Load())
		}
	}
	// A last stretch without a kill: whatever is found wrong from here on has no crash to excuse it.
	time.Sleep(*calm)
	stopLoad()
	wg.Wait()
	fmt.Printf("load stopped after %d operations; checking\n", ops.Load())

	r.waitUploads(ctx)
	for _, w := range r.files {
		w.final(ctx)
	}
	for _, w := range r.tables {
		w.final(ctx)
	}
	for _, w := range r.packages {
		w.final(ctx)
	}
	for _, w := range r.res {
		w.final(ctx)
	}
	r.checkAllResources(ctx)
	if err := r.stop(); err != nil {
		r.violate("%v", err)
	}
	r.checkDatabase(ctx)
	r.checkBlobs(ctx)
	return nil
}

// -- clients ---------------------------------------------------------------------------------------------

func (r *run) dataWorks() *dataworks.Client {
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithTimeout(time.Minute)
	c, err := dataworks.NewClientWithOptions("cn-hangzhou", cfg, credentials.NewAccessKeyCredential(benchserve.RootKey, benchserve.RootSecret))
	if err != nil {
		panic(err)
	}
	c.Domain = r.addr
	return c
}

// ownHTTP is an HTTP client of one darabonba client's own: darabonba's shared default client has its
// timeout set on every call while others use it, a data race between writers.
type ownHTTP struct{ c *http.Client }

func (o ownHTTP) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return o.c.Do(req)
}

func (r *run) maxCompute() *openapi.Client {
	c, err := openapi.NewClient(&openapi.Config{AccessKeyId: dara.String(benchserve.RootKey), AccessKeySecret: dara.String(benchserve.RootSecret),
		Endpoint: dara.String(r.addr), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou"),
		HttpClient: ownHTTP{&http.Client{Timeout: time.Minute}}})
	if err != nil {
		panic(err)
	}
	return c
}

func (r *run) dliClient() *dliv1.DliClient {
	cred, err := basic.NewCredentialsBuilder().WithAk(benchserve.RootKey).WithSk(benchserve.RootSecret).WithProjectId(r.pA.UUID).SafeBuild()
	if err != nil {
		panic(err)
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{r.endpoint}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-crash/1.0").WithTimeout(time.Minute)).SafeBuild()
	if err != nil {
		panic(err)
	}
	return dliv1.NewDliClient(hc)
}

// roa calls one MaxCompute 2022-01-04 operation as the generated client does (darabonba's CallApi) and
// returns the body as JSON.
func roa(c *openapi.Client, action, method, path string, query map[string]*string, body string) ([]byte, error) {
	p := &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	req := &openapi.OpenApiRequest{Query: query}
	if body != "" {
		req.Body = dara.String(body)
	}
	out, err := c.CallApi(p, req, &dara.RuntimeOptions{Autoretry: dara.Bool(false)})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out["body"])
}

// -- the source of URL uploads -----------------------------------------------------------------------------

// payload is the content of a resource made from seed: size bytes of ChaCha8.
func payload(seed uint64, size int) []byte {
	var key [32]byte
	copy(key[:], strconv.FormatUint(seed, 16))
	b := make([]byte, size)
	rand.NewChaCha8(key).Read(b)
	return b
}

func digest(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// sourceSHA is the SHA-256 of the payload a source URL of serveSource names ("" for another source).
func sourceSHA(source string) string {
	u, err := url.Parse(source)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(parts) != 3 {
		return ""
	}
	seed, err1 := strconv.ParseUint(parts[0], 10, 64)
	size, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || size > 1<<20 {
		return ""
	}
	return digest(payload(seed, size))
}

// serveSource serves /SEED/SIZE/NAME as payload(SEED, SIZE), in four parts 50 ms apart, so a kill often
// lands while an upload copies.
func serveSource() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/"), "/")
		if len(parts) != 3 {
			http.NotFound(w, req)
			return
		}
		seed, err1 := strconv.ParseUint(parts[0], 10, 64)
		size, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			http.NotFound(w, req)
			return
		}
		b := payload(seed, size)
		w.Header().Set("Content-Length", strconv.Itoa(size))
		if req.Method == http.MethodHead {
			return
		}
		q := (size + 3) / 4
		for i := 0; i < size; i += q {
			if _, err := w.Write(b[i:min(i+q, size)]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}))
	return ln.Addr().String(), nil
}

// -- DataWorks files -------------------------------------------------------------------------------------

// fileState is what a file is: its draft's content, its committed versions' contents (versions[i] is
// version i+1) and the version deployed to PROD (0: none).
type fileState struct {
	gone     bool
	content  string
	versions []string
	prod     int
}

func (s fileState) String() string {
	if s.gone {
		return "deleted"
	}
	return fmt.Sprintf("content %q, %d versions, prod %d", s.content, len(s.versions), s.prod)
}

func (s fileState) equal(o fileState) bool {
	return s.gone == o.gone && (s.gone || s.content == o.content && slices.Equal(s.versions, o.versions) && s.prod == o.prod)
}

// fileObj is one file and what is known of it.
type fileObj struct {
	id   int64
	name string
	known[fileState]
}

type fileWriter struct {
	r     *run
	w     int
	dw    *dataworks.Client
	n     int
	files map[string]*fileObj
}

func (f *fileWriter) pid() requests.Integer { return requests.NewInteger64(f.r.pA.ID) }

// read reads a file's state through GetFile and ListFileVersions; ok false when the read itself failed.
func (f *fileWriter) read(o *fileObj) (fileState, bool) {
	get := dataworks.CreateGetFileRequest()
	get.ProjectId, get.FileId = f.pid(), requests.NewInteger64(o.id)
	resp, err := f.dw.GetFile(get)
	if err != nil {
		if isNotFound(err) {
			return fileState{gone: true}, true
		}
		return fileState{}, false
	}
	s := fileState{content: resp.Data.File.Content}
	var versions []dataworks.FileVersion
	for page := 1; ; page++ {
		lv := dataworks.CreateListFileVersionsRequest()
		lv.ProjectId, lv.FileId, lv.PageNumber, lv.PageSize = f.pid(), requests.NewInteger64(o.id), requests.NewInteger(page), requests.NewInteger(100)
		vs, err := f.dw.ListFileVersions(lv)
		if err != nil {
			return fileState{}, false
		}
		versions = append(versions, vs.Data.FileVersions...)
		if len(vs.Data.FileVersions) < 100 {
			break
		}
	}
	sort.Slice(versions, func(i, j int) bool { return versions[i].FileVersion < versions[j].FileVersion })
	for i, v := range versions {
		if v.FileVersion != i+1 {
			f.r.violate("file %s: versions %v are not 1..N", o.name, versions)
		}
		s.versions = append(s.versions, v.FileContent)
		if v.IsCurrentProd {
			s.prod = v.FileVersion
		}
	}
	if resp.Data.File.CurrentVersion != len(s.versions) {
		f.r.violate("file %s: CurrentVersion %d with %d versions", o.name, resp.Data.File.CurrentVersion, len(s.versions))
	}
	return s, true
}

func (f *fileWriter) settle(o *fileObj) bool {
	return o.settle(f.r, "file "+o.name, func() (fileState, bool) { return f.read(o) }, fileState.equal)
}

func (f *fileWriter) apply(o *fileObj, kind string, err error, next fileState) {
	o.apply(f.r, "files."+kind, err, next)
}

func (f *fileWriter) step(ctx context.Context) {
	live := []*fileObj{}
	for _, o := range f.files {
		if !o.state.gone || len(o.maybe) > 0 {
			live = append(live, o)
		}
	}
	slices.SortFunc(live, func(a, b *fileObj) int { return strings.Compare(a.name, b.name) })
	if len(live) < 3 || rand.N(10) == 0 {
		f.n++
		name := fmt.Sprintf("f_w%d_%d", f.w, f.n)
		content := fmt.Sprintf("SELECT %d AS draft FROM src_%d;\n", f.n, f.w)
		req := dataworks.CreateCreateFileRequest()
		req.ProjectId, req.FileName, req.FileType, req.Content = f.pid(), name, requests.NewInteger(10), content
		resp, err := f.dw.CreateFile(req)
		if f.r.write("files.create", err) == done {
			f.files[name] = &fileObj{id: resp.Data, name: name, known: known[fileState]{state: fileState{content: content}}}
		}
		return
	}
	o := live[rand.N(len(live))]
	if !f.settle(o) || o.state.gone {
		return
	}
	s := o.state
	next := fileState{content: s.content, versions: slices.Clone(s.versions), prod: s.prod}
	switch n := rand.N(20); {
	case n < 8:
		next.content = fmt.Sprintf("SELECT %d AS v FROM src_%d; -- %s\n", rand.N(1_000_000), f.w, o.name)
		req := dataworks.CreateUpdateFileRequest()
		req.ProjectId, req.FileId, req.Content = f.pid(), requests.NewInteger64(o.id), next.content
		_, err := f.dw.UpdateFile(req)
		f.apply(o, "update", err, next)
	case n < 14:
		next.versions = append(next.versions, s.content)
		req := dataworks.CreateSubmitFileRequest()
		req.ProjectId, req.FileId, req.Comment = f.pid(), requests.NewInteger64(o.id), "crash"
		_, err := f.dw.SubmitFile(req)
		f.apply(o, "submit", err, next)
	case n < 19:
		if len(s.versions) == 0 {
			return
		}
		next.prod = len(s.versions)
		req := dataworks.CreateDeployFileRequest()
		req.ProjectId, req.FileId = f.pid(), requests.NewInteger64(o.id)
		_, err := f.dw.DeployFile(req)
		f.apply(o, "deploy", err, next)
	default:
		req := dataworks.CreateDeleteFileRequest()
		req.ProjectId, req.FileId = f.pid(), requests.NewInteger64(o.id)
		_, err := f.dw.DeleteFile(req)
		f.apply(o, "delete", err, fileState{gone: true})
	}
}

func (f *fileWriter) final(ctx context.Context) {
	for _, o := range f.files {
		o.final(f.r, "file "+o.name, "files", func() (fileState, bool) { return f.read(o) }, fileState.equal)
	}
}

// -- MaxCompute tables (DDL through the native SQL endpoint) ---------------------------------------------

// tableState is a table's columns (nil: it does not exist).
type tableState struct{ columns []string }

func (s tableState) equal(o tableState) bool { return slices.Equal(s.columns, o.columns) }

func (s tableState) String() string {
	if s.columns == nil {
		return "absent"
	}
	return "columns " + strings.Join(s.columns, ",")
}

type tableObj struct {
	name string
	known[tableState]
}

type tableWriter struct {
	r      *run
	w      int
	mc     *openapi.Client
	n      int
	tables map[string]*tableObj
}

// runSQL runs a DDL script through the native API's SQL endpoint (what `sluice sql` calls).
func (r *run) runSQL(ctx context.Context, project, script string) error {
	rs, err := r.admin.RunSQL(ctx, project, script)
	if err != nil {
		return err
	}
	for _, x := range rs {
		if x.Kind != "ok" {
			return &native.Error{Status: 400, Code: "Statement", Message: x.Kind + ": " + x.Message}
		}
	}
	return nil
}

type tableInfo struct {
	Data struct {
		NativeColumns []struct {
			Name string `json:"name"`
		} `json:"nativeColumns"`
	} `json:"data"`
}

// readTable reads a table through MaxCompute's GetTableInfo.
func readTable(mc *openapi.Client, project, name string) (tableState, bool) {
	raw, err := roa(mc, "GetTableInfo", "GET", "/api/v1/projects/"+project+"/tables/"+name, nil, "")
	if err != nil {
		if isNotFound(err) {
			return tableState{}, true
		}
		return tableState{}, false
	}
	var b tableInfo
	if err := json.Unmarshal(raw, &b); err != nil {
		return tableState{}, false
	}
	s := tableState{columns: []string{}}
	for _, c := range b.Data.NativeColumns {
		s.columns = append(s.columns, c.Name)
	}
	return s, true
}

func (t *tableWriter) read(o *tableObj) (tableState, bool) { return readTable(t.mc, projectA, o.name) }

func (t *tableWriter) settle(o *tableObj) bool {
	return o.settle(t.r, "table "+o.name, func() (tableState, bool) { return t.read(o) }, tableState.equal)
}

func (t *tableWriter) apply(o *tableObj, kind string, err error, next tableState) {
	o.apply(t.r, "tables."+kind, err, next)
}

func (t *tableWriter) step(ctx context.Context) {
	var live []*tableObj
	for _, o := range t.tables {
		if o.state.columns != nil || len(o.maybe) > 0 {
			live = append(live, o)
		}
	}
	slices.SortFunc(live, func(a, b *tableObj) int { return strings.Compare(a.name, b.name) })
	if len(live) < 3 || rand.N(4) == 0 {
		t.n++
		o := &tableObj{name: fmt.Sprintf("t_w%d_%d", t.w, t.n)}
		t.tables[o.name] = o
		err := t.r.runSQL(ctx, projectA, fmt.Sprintf("CREATE TABLE %s (id BIGINT COMMENT 'key', v STRING) COMMENT 'crash';", o.name))
		t.apply(o, "create", err, tableState{columns: []string{"id", "v"}})
		return
	}
	o := live[rand.N(len(live))]
	if !t.settle(o) || o.state.columns == nil {
		return
	}
	if rand.N(3) > 0 {
		col := fmt.Sprintf("c%d", len(o.state.columns))
		err := t.r.runSQL(ctx, projectA, fmt.Sprintf("ALTER TABLE %s ADD COLUMNS (%s STRING);", o.name, col))
		t.apply(o, "alter", err, tableState{columns: append(slices.Clone(o.state.columns), col)})
		return
	}
	err := t.r.runSQL(ctx, projectA, "DROP TABLE "+o.name+";")
	t.apply(o, "drop", err, tableState{})
}

func (t *tableWriter) final(ctx context.Context) {
	for _, o := range t.tables {
		o.final(t.r, "table "+o.name, "tables", func() (tableState, bool) { return t.read(o) }, tableState.equal)
	}
}

// -- MaxCompute packages (ROA) ---------------------------------------------------------------------------

// pkgState is how far a package got: created in crash_a holding its table, crash_b allowed, installed in
// crash_b.
type pkgState struct{ created, allowed, installed bool }

type pkgObj struct {
	name, table string
	keep        bool // stays installed; the others are dropped once installed (a consumer may install 100 of one source)
	dropped     bool
	known[pkgState]
}

type packageWriter struct {
	r    *run
	w    int
	mc   *openapi.Client
	n    int
	pkgs map[string]*pkgObj
}

func (p *packageWriter) read(o *pkgObj) (pkgState, bool) {
	var s pkgState
	raw, err := roa(p.mc, "GetPackage", "GET", "/api/v1/projects/"+projectA+"/packages/"+o.name, nil, "")
	switch {
	case err != nil && isNotFound(err):
	case err != nil:
		return s, false
	default:
		var b struct {
			Data struct {
				AllowedProjectList []struct {
					Project string `json:"project"`
				} `json:"allowedProjectList"`
				ResourceList struct {
					Table []struct {
						Name string `json:"name"`
					} `json:"table"`
				} `json:"resourceList"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			return s, false
		}
		s.created = len(b.Data.ResourceList.Table) == 1 && b.Data.ResourceList.Table[0].Name == o.table
		if !s.created {
			p.r.violate("package %s holds %+v, want table %s", o.name, b.Data.ResourceList.Table, o.table)
		}
		for _, a := range b.Data.AllowedProjectList {
			s.allowed = s.allowed || a.Project == projectB
		}
	}
	raw, err = roa(p.mc, "ListPackages", "GET", "/api/v1/projects/"+projectB+"/packages", nil, "")
	if err != nil {
		return s, false
	}
	var l struct {
		Data struct {
			InstalledPackages []struct {
				Name          string `json:"name"`
				SourceProject string `json:"sourceProject"`
			} `json:"installedPackages"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &l); err != nil {
		return s, false
	}
	for _, i := range l.Data.InstalledPackages {
		s.installed = s.installed || i.Name == o.name && i.SourceProject == projectA
	}
	return s, true
}

func (s pkgState) equal(o pkgState) bool { return s == o }

func (p *packageWriter) settle(o *pkgObj) bool {
	return o.settle(p.r, "package "+o.name, func() (pkgState, bool) { return p.read(o) }, pkgState.equal)
}

func (p *packageWriter) apply(o *pkgObj, kind string, err error, next pkgState) {
	o.apply(p.r, "packages."+kind, err, next)
}

// step takes one package one step further: its table, the package, the allow, the install.
func (p *packageWriter) step(ctx context.Context) {
	var o *pkgObj
	for _, x := range p.pkgs {
		if len(x.maybe) > 0 || !x.dropped && (!x.state.installed || !x.keep) {
			o = x
			break
		}
	}
	if o == nil {
		p.n++
		o = &pkgObj{name: fmt.Sprintf("pkg_w%d_%d", p.w, p.n), table: fmt.Sprintf("shared_w%d_%d", p.w, p.n), keep: p.n <= 10}
		err := p.r.runSQL(ctx, projectA, "CREATE TABLE "+o.table+" (id BIGINT, v STRING);")
		if o := classify(err); o != done {
			if o == unknown {
				p.r.count(p.r.lost, "packages.table")
			}
			return // the table is the package's, not checked on its own: try another
		}
		p.pkgs[o.name] = o
		return
	}
	if !p.settle(o) {
		return
	}
	if o.state == (pkgState{}) && o.dropped {
		return
	}
	next := o.state
	switch {
	case o.state.installed:
		// DROP PACKAGE takes it from both sides: the source's package and the consumer's installation.
		err := p.r.runSQL(ctx, projectA, "DROP PACKAGE "+o.name+";")
		p.apply(o, "drop", err, pkgState{})
		o.dropped = len(o.maybe) > 0 || o.state == (pkgState{})
	case !o.state.created:
		next.created = true
		_, err := roa(p.mc, "CreatePackage", "POST", "/api/v1/projects/"+projectA+"/packages", nil,
			fmt.Sprintf(`{"name":%q,"resourceList":{"table":[{"name":%q,"actions":["describe","select"]}]}}`, o.name, o.table))
		p.apply(o, "create", err, next)
	case !o.state.allowed:
		next.allowed = true
		_, err := roa(p.mc, "UpdatePackage", "PUT", "/api/v1/projects/"+projectA+"/packages/"+o.name, nil,
			fmt.Sprintf(`{"add":{"allowedProjectList":[{"project":%q,"label":"0"}]}}`, projectB))
		p.apply(o, "allow", err, next)
	default:
		next.installed = true
		_, err := roa(p.mc, "CreatePackage", "POST", "/api/v1/projects/"+projectB+"/packages", map[string]*string{"isInstall": dara.String("true")},
			fmt.Sprintf(`{"name":"%s.%s"}`, projectA, o.name))
		p.apply(o, "install", err, next)
	}
}

func (p *packageWriter) final(ctx context.Context) {
	for _, o := range p.pkgs {
		o.final(p.r, "package "+o.name, "packages", func() (pkgState, bool) { return p.read(o) }, pkgState.equal)
	}
}

// -- DLI resources ---------------------------------------------------------------------------------------

// resState is a resource's state: absent, READY with sha, FAILED, or PENDING (an upload of sha accepted and
// not yet finished: UPLOADING, READY with sha, or FAILED after the interruptions the product allows).
type resState struct {
	status string // "", READY, PENDING, FAILED
	sha    string
}

type resObj struct {
	group, name     string
	known[resState]            // apply and check are the resource writer's own: an async upload may still be running
	mu              sync.Mutex // two steps of one writer may pick the same resource
}

type resourceWriter struct {
	r   *run
	w   int
	dli *dliv1.DliClient
	mu  sync.Mutex
	n   int
	res map[string]*resObj
}

// readResource reads a resource through the native API: status, reason and SHA-256.
func (r *run) readResource(ctx context.Context, group, name string) (native.Resource, bool, bool) {
	res, err := r.admin.GetResource(ctx, projectA, group, name)
	if err != nil {
		if isNotFound(err) {
			return res, false, true
		}
		return res, false, false
	}
	return res, true, true
}

// matches says whether what was read is a state the resource may be in (and which it then is).
func (w *resourceWriter) matches(o *resObj, got native.Resource, exists bool, want resState) (resState, bool) {
	if !exists {
		return resState{}, want.status == ""
	}
	switch got.Status {
	case "READY":
		return resState{status: "READY", sha: got.SHA256}, (want.status == "READY" || want.status == "PENDING") && got.SHA256 == want.sha
	case "UPLOADING":
		// Which upload is running is read from its source, which names the payload: two may be pending.
		return resState{status: "PENDING", sha: sourceSHA(got.Source)}, want.status == "PENDING" && sourceSHA(got.Source) == want.sha
	case "FAILED":
		return resState{status: "FAILED"}, want.status == "FAILED" || want.status == "PENDING" && interrupted(got.Reason)
	}
	return resState{}, false
}

// interrupted says whether a FAILED upload's reason is the one the product gives an upload interrupted
// more often than it retries (docs/operations.md: "The upload was interrupted 3 times").
func interrupted(reason string) bool { return strings.Contains(reason, "interrupted") }

func (w *resourceWriter) check(ctx context.Context, o *resObj, want []resState, when string) bool {
	got, exists, ok := w.r.readResource(ctx, o.group, o.name)
	if !ok {
		return false
	}
	fmt.Fprintf(w.r.opsLog, "%s %s/%s read %v %s %.8s %s\n", time.Now().UTC().Format(time.RFC3339Nano), o.group, o.name, exists, got.Status, got.SHA256, got.Source)
	for _, s := range want {
		if now, ok := w.matches(o, got, exists, s); ok {
			if now.status == "FAILED" && s.status == "PENDING" {
				w.r.count(w.r.checked, "resources.failed-interrupted")
				w.r.note("%s/%s: FAILED, %s", o.group, o.name, got.Reason)
			}
			o.state, o.maybe = now, nil
			return true
		}
	}
	w.r.violate("resource %s/%s %s: exists %v status %s sha %s reason %q, want one of %+v", o.group, o.name, when, exists, got.Status, got.SHA256, got.Reason, want)
	o.state, o.maybe = resState{}, nil
	if exists {
		o.state = resState{status: got.Status, sha: got.SHA256}
	}
	return true
}

func (w *resourceWriter) apply(o *resObj, kind string, err error, next resState) {
	out := w.r.write("resources."+kind, err)
	fmt.Fprintf(w.r.opsLog, "%s %s/%s %s %.8s -> %d\n", time.Now().UTC().Format(time.RFC3339Nano), o.group, o.name, kind, next.sha, out)
	switch out {
	case done:
		o.state = next
	case unknown:
		o.maybe = []resState{o.state, next}
		if next.status == "READY" { // a sync upload whose answer was lost may still be copying: its job finishes it
			o.maybe = append(o.maybe, resState{status: "PENDING", sha: next.sha})
		}
	}
}

func (w *resourceWriter) step(ctx context.Context) {
	w.mu.Lock()
	var o *resObj
	if len(w.res) < 6 || rand.N(8) == 0 {
		w.n++
		o = &resObj{group: fmt.Sprintf("g%d", w.w), name: fmt.Sprintf("r%d.bin", w.n)}
		w.res[o.name] = o
	} else {
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range w.res {
				if !yield(k) {
					return
				}
			}
		})
		o = w.res[names[rand.N(len(names))]]
	}
	w.mu.Unlock()
	if !o.mu.TryLock() {
		return
	}
	defer o.mu.Unlock()
	if len(o.maybe) > 0 && !w.check(ctx, o, o.maybe, "after a lost answer") {
		return
	}
	seed := rand.Uint64() >> 1
	size := 16<<10 + rand.N(496<<10)
	sha := digest(payload(seed, size))
	src := fmt.Sprintf("http://%s/%d/%d/%s", w.r.source, seed, size, o.name)
	switch n := rand.N(10); {
	case n < 3:
		up, err := w.dli.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
			Paths: []string{src}, Kind: "file", Group: o.group}})
		next := resState{status: "READY", sha: sha}
		if err == nil && (up.Details == nil || len(*up.Details) != 1 || *(*up.Details)[0].Status != "READY") {
			w.r.violate("sync upload of %s/%s answered %v", o.group, o.name, up)
		}
		w.apply(o, "upload-sync", err, next)
	case n < 6:
		async := true
		up, err := w.dli.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
			Paths: []string{src}, Kind: "file", Group: o.group, IsAsync: &async}})
		if err == nil && (up.Details == nil || len(*up.Details) != 1) {
			w.r.violate("async upload of %s/%s answered %v", o.group, o.name, up)
		}
		w.apply(o, "upload-async", err, resState{status: "PENDING", sha: sha})
	case n < 8:
		b := payload(seed, size)
		_, err := w.r.admin.UploadResource(ctx, projectA, o.group, "file", o.name, bytes.NewReader(b), int64(size), sha)
		w.apply(o, "upload-native", err, resState{status: "READY", sha: sha})
	default:
		if o.state.status == "" && len(o.maybe) == 0 {
			return
		}
		g := o.group
		_, err := w.dli.DeleteJobResource(&model.DeleteJobResourceRequest{ResourceName: o.name, Group: &g})
		w.apply(o, "delete", err, resState{})
	}
}

func (w *resourceWriter) final(ctx context.Context) {
	for _, o := range w.res {
		if !w.check(ctx, o, o.want(), "at the end") {
			w.r.violate("resource %s/%s: cannot be read at the end", o.group, o.name)
			continue
		}
		w.r.count(w.r.checked, "resources")
	}
}

// waitUploads waits, after the load, until no resource is UPLOADING: the job runner claims what the kills
// left once the leases run out (at once on SQLite), one job at a time. Three minutes is ample; one still UPLOADING
// then is a violation.
func (r *run) waitUploads(ctx context.Context) {
	deadline := time.Now().Add(3*time.Minute + 3**lease)
	for {
		l, err := r.admin.ListResources(ctx, projectA, "", "")
		if err != nil {
			r.violate("list resources: %v", err)
			return
		}
		var uploading []string
		for _, x := range allResources(l) {
			if x.Status == "UPLOADING" {
				uploading = append(uploading, x.Group+"/"+x.Name)
			}
		}
		if len(uploading) == 0 {
			r.note("no resource UPLOADING %.1f s after the last start", time.Since(r.lastStart).Seconds())
			return
		}
		if time.Now().After(deadline) {
			r.violate("still UPLOADING %.0f s after the last start: %v", time.Since(r.lastStart).Seconds(), uploading)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func allResources(l native.ResourceListing) []native.Resource {
	all := slices.Clone(l.Resources)
	for _, g := range l.Groups {
		for _, x := range g.Resources {
			x.Group = g.Name
			all = append(all, x)
		}
	}
	return all
}

// checkAllResources downloads every READY resource of the project and compares its bytes with the size and
// SHA-256 its row records.
func (r *run) checkAllResources(ctx context.Context) {
	l, err := r.admin.ListResources(ctx, projectA, "", "")
	if err != nil {
		r.violate("list resources: %v", err)
		return
	}
	for _, x := range allResources(l) {
		if x.Status != "READY" {
			continue
		}
		h := sha256.New()
		n, _, err := r.admin.DownloadResource(ctx, projectA, x.Group, x.Name, h)
		if err != nil {
			r.violate("download %s/%s: %v", x.Group, x.Name, err)
			continue
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != x.SHA256 || n != x.Size {
			r.violate("resource %s/%s: downloaded %d bytes with SHA-256 %s; its row says %d bytes, %s", x.Group, x.Name, n, got, x.Size, x.SHA256)
		}
		// A resource copied from a URL holds that URL's bytes, not those of another upload of its name.
		if want := sourceSHA(x.Source); want != "" && want != x.SHA256 {
			r.violate("resource %s/%s: SHA-256 %s, but its source %s has %s", x.Group, x.Name, x.SHA256, x.Source, want)
		}
		r.count(r.checked, "resources.downloaded")
	}
}

// -- with the server stopped -----------------------------------------------------------------------------

func (r *run) dsn() string {
	if *database != "" {
		return *database
	}
	return filepath.Join(r.dataDir, "sluice.db")
}

// checkDatabase runs the database's own integrity checks, and checks that no upload job was left behind:
// every one ends by removing itself, and the server has been up long enough to claim what a kill left.
func (r *run) checkDatabase(ctx context.Context) {
	defer r.checkJobs(ctx)
	if *database == "" {
		db, err := sql.Open("sqlite", "file:"+r.dsn()+"?mode=ro")
		if err != nil {
			r.violate("open the database: %v", err)
			return
		}
		defer db.Close()
		for _, q := range []string{"PRAGMA integrity_check", "PRAGMA foreign_key_check"} {
			rows, err := db.QueryContext(ctx, q)
			if err != nil {
				r.violate("%s: %v", q, err)
				continue
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				rows.Scan(ptrs...)
				if line := fmt.Sprint(vals...); line != "ok" {
					r.violate("%s: %s", q, line)
				}
			}
			rows.Close()
			r.note("%s: passed", q)
		}
		return
	}
	db, err := sql.Open("pgx", *database)
	if err != nil {
		r.violate("open the database: %v", err)
		return
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS amcheck"); err != nil {
		r.violate("amcheck: %v", err)
		return
	}
	// Every B-tree index of the schema, checked against its table (heapallindexed): the index is a valid
	// B-tree and holds every row of its table.
	rows, err := db.QueryContext(ctx, `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		WHERE n.nspname = current_schema() AND a.amname = 'btree' ORDER BY 1`)
	if err != nil {
		r.violate("list indexes: %v", err)
		return
	}
	var indexes []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		indexes = append(indexes, s)
	}
	rows.Close()
	for _, ix := range indexes {
		if _, err := db.ExecContext(ctx, "SELECT bt_index_check($1::regclass, true)", ix); err != nil {
			r.violate("bt_index_check %s: %v", ix, err)
		}
	}
	r.note("bt_index_check (heapallindexed) of %d indexes: run", len(indexes))
	// Every foreign key, checked by query: a row whose key names no row of the referenced table.
	rows, err = db.QueryContext(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text,
		(SELECT array_to_string(array_agg(quote_ident(attname) ORDER BY k.i), ',') FROM unnest(conkey) WITH ORDINALITY k(a, i) JOIN pg_attribute ON attrelid = conrelid AND attnum = k.a),
		(SELECT array_to_string(array_agg(quote_ident(attname) ORDER BY k.i), ',') FROM unnest(confkey) WITH ORDINALITY k(a, i) JOIN pg_attribute ON attrelid = confrelid AND attnum = k.a),
		conname FROM pg_constraint WHERE contype = 'f' AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`)
	if err != nil {
		r.violate("list foreign keys: %v", err)
		return
	}
	type fk struct{ child, parent, ccols, pcols, name string }
	var fks []fk
	for rows.Next() {
		var f fk
		rows.Scan(&f.child, &f.parent, &f.ccols, &f.pcols, &f.name)
		fks = append(fks, f)
	}
	rows.Close()
	for _, f := range fks {
		cc, pc := strings.Split(f.ccols, ","), strings.Split(f.pcols, ",")
		var notNull, join []string
		for i := range cc {
			notNull = append(notNull, "c."+cc[i]+" IS NOT NULL")
			join = append(join, "p."+pc[i]+" = c."+cc[i])
		}
		var n int
		q := fmt.Sprintf("SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)", f.child, strings.Join(notNull, " AND "), f.parent, strings.Join(join, " AND "))
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil || n > 0 {
			r.violate("foreign key %s: %d rows without their %s row (%v)", f.name, n, f.parent, err)
		}
	}
	r.note("foreign keys checked by query: %d", len(fks))
}

func (r *run) checkJobs(ctx context.Context) {
	driver, dsn := "sqlite", "file:"+r.dsn()+"?mode=ro"
	if *database != "" {
		driver, dsn = "pgx", *database
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		r.violate("open the database: %v", err)
		return
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM jobs WHERE kind = 'resource-upload'").Scan(&n); err != nil {
		r.violate("count jobs: %v", err)
	} else if n > 0 {
		r.violate("%d upload jobs left in the database after every upload ended", n)
	}
}

// checkBlobs compares the blob store with the keys resource rows hold. A key no row holds is an orphan. A
// crash between removing a resource's row and its bytes leaves one by design, and the product's sweep
// (docs/operations.md) removes it; so the sweep, the product's own code, is run here with its grace cut to
// the last kill, and then no orphan may remain. An orphan written after the last kill has no crash to
// explain it and is a violation at once. Temporary files of the file store must be gone too.
func (r *run) checkBlobs(ctx context.Context) {
	db, err := sqlstore.Open(ctx, r.dsn())
	if err != nil {
		r.violate("open the store: %v", err)
		return
	}
	defer db.Close()
	blobDir := filepath.Join(r.dataDir, "blobs")
	store, err := fileblob.New(blobDir)
	if err != nil {
		r.violate("open the blob store: %v", err)
		return
	}
	held := map[string]bool{}
	if err := db.ResourceBlobKeys(ctx, func(k string) error { held[k] = true; return nil }); err != nil {
		r.violate("blob keys: %v", err)
		return
	}
	var lastKill time.Time // with no kill, every orphan is a violation
	if len(r.kills) > 0 {
		lastKill = r.kills[len(r.kills)-1]
	}
	var total, orphans int
	err = store.List(ctx, "resources/", func(b sluice.BlobInfo) error {
		total++
		if !held[b.Key] {
			orphans++
			if b.ModTime.After(lastKill) {
				r.violate("orphan blob %s written %s, after the last kill", b.Key, b.ModTime.Format(time.RFC3339Nano))
			}
		}
		return nil
	})
	if err != nil {
		r.violate("list blobs: %v", err)
		return
	}
	svc := core.New(db, nil)
	svc.Blobs = store
	var swept []sluice.BlobInfo
	if !lastKill.IsZero() {
		if swept, err = svc.SweepBlobs(ctx, time.Since(lastKill), true); err != nil {
			r.violate("sweep: %v", err)
		}
	}
	var left []string
	store.List(ctx, "resources/", func(b sluice.BlobInfo) error {
		if !held[b.Key] {
			left = append(left, b.Key)
		}
		return nil
	})
	if len(left) > 0 {
		r.violate("orphan blobs the sweep leaves: %v", left)
	}
	var temps []string
	filepath.WalkDir(blobDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmp") {
			temps = append(temps, p)
		}
		return nil
	})
	if len(temps) > 0 {
		r.violate("temporary files left in the blob directory: %v", temps)
	}
	r.mu.Lock()
	r.checked["blobs"] = total
	r.mu.Unlock()
	r.note("blobs: %d under resources/, %d held by no row; the sweep (grace cut to the last kill) removed %d", total, orphans, len(swept))
}

// -- report ----------------------------------------------------------------------------------------------

func (r *run) report(d time.Duration) {
	db := "SQLite"
	if *database != "" {
		db = "PostgreSQL"
	}
	fmt.Printf("\n## crash run, %s, local file blob store, %s\n", db, time.Now().UTC().Format("2006-01-02"))
	slices.Sort(r.restarts)
	fmt.Printf("kills: %d (SIGKILL after %v–%v of running, then %v without); restarts median %.2f s, max %.2f s; duration %.0f s\n",
		len(r.kills), *minDelay, *maxDelay, *calm, r.restarts[len(r.restarts)/2].Seconds(), r.restarts[len(r.restarts)-1].Seconds(), d.Seconds())
	table := func(title string, m map[string]int) {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range m {
				if !yield(k) {
					return
				}
			}
		})
		var parts []string
		total := 0
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
			total += m[k]
		}
		fmt.Printf("%s (%d): %s\n", title, total, strings.Join(parts, ", "))
	}
	table("acknowledged writes", r.acked)
	table("writes whose answer was lost", r.lost)
	table("writes refused or never sent", r.refused)
	table("checked at the end", r.checked)
	for _, n := range r.notes {
		if n != "" {
			fmt.Println(n)
		}
	}
	fmt.Printf("violations: %d\n", len(r.violations))
	for _, v := range r.violations {
		fmt.Println("  -", v)
	}
}
