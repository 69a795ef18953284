// Command soak starts `sluice serve`, seeds it, measures the highest rate a realistic mix of reads and
// writes reaches with a closed loop of workers, then runs the same mix open-loop at a fraction of that rate
// (half by default) for a long time through the vendors' official SDKs and the native client, sampling the
// server's memory, goroutines and open files every interval. It judges the run at the end: no failed
// request, no late request, and no growth of RSS, goroutines or open files between the start of the steady
// state and its end. It exits 1 when a judgement fails.
//
//	go run ./bench/soak -sluice ./sluice -duration 30m            # SQLite in a temporary directory
//	go run ./bench/soak -sluice ./sluice -database postgres://...  # PostgreSQL
//
// bench/soak/run.sh builds the binary and runs this with the documented settings.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/bench/internal/benchserve"
)

func main() { os.Exit(run()) }

// run returns the exit status: 0 passed, 1 a judgement failed, 2 the run could not be made.
func run() int {
	bin := flag.String("sluice", "", "the sluice binary to start (required)")
	dir := flag.String("dir", "", "the server's data directory (default: a new temporary one)")
	database := flag.String("database", "", "a PostgreSQL URL (default: SQLite in the data directory)")
	duration := flag.Duration("duration", 30*time.Minute, "how long the open-loop run lasts")
	probe := flag.Duration("probe", 45*time.Second, "how long the closed-loop measurement of the maximum rate lasts")
	probeWorkers := flag.Int("probe-workers", 16, "workers of the closed-loop measurement")
	fraction := flag.Float64("fraction", 0.5, "the open-loop rate as a fraction of the measured maximum")
	fixedRate := flag.Float64("rate", 0, "run at this rate (requests/s) instead of -fraction of the measured maximum (the closed loop then only warms up, for at most 10 s)")
	every := flag.Duration("sample", 10*time.Second, "sampling interval")
	csvPath := flag.String("csv", "soak.csv", "where the samples are written")
	files := flag.Int("files", 48, "SQL files seeded for the file workflow")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "soak: -sluice is required")
		return 2
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "sluice-soak-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	srv, err := benchserve.StartServer(*bin, *dir, *database)
	if err != nil {
		return fail(err)
	}
	defer srv.Stop()
	// Interrupted or told to stop: stop the server too, so no process outlives the run.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		srv.Stop()
		os.Exit(2)
	}()

	m, err := newMix(srv.Endpoint)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	if err := m.seed(*files); err != nil {
		return fail(err)
	}
	fmt.Printf("seeded in %.1f s: %d files, %d tables, %d resources, one package\n", time.Since(start).Seconds(), *files, len(m.sources)+len(m.outputs), len(m.stable))

	s := &sampler{pid: srv.PID, metrics: srv.Endpoint + "/metrics", every: *every}
	csv, err := os.Create(*csvPath)
	if err != nil {
		return fail(err)
	}
	defer csv.Close()
	fmt.Fprintln(csv, "phase,t_s,requests,errors,late,rate_per_s,p50_ms,p99_ms,rss_kib,rss_anon_kib,rss_file_kib,heap_inuse_bytes,goroutines,fds,sockets")

	// The closed loop measures the maximum rate; with a rate given it still runs, shorter, as a warm-up, so
	// that the idle measurement before the run sees the connections and caches of a server that has served
	// (else the database pools' files, opened on first use, count as growth).
	rate, loop := *fixedRate, *probe
	if rate > 0 {
		loop = min(loop, 10*time.Second)
	}
	n := m.closedLoop(loop, *probeWorkers, s, csv)
	maxRate := float64(n) / loop.Seconds()
	if rate <= 0 {
		rate = maxRate * *fraction
		fmt.Printf("maximum rate (closed loop, %d workers, %s): %.1f requests/s; running at %.0f%% = %.1f requests/s\n",
			*probeWorkers, loop, maxRate, 100**fraction, rate)
	} else {
		fmt.Printf("warm-up (closed loop, %d workers, %s): %.1f requests/s; running at the rate given, %.1f requests/s\n",
			*probeWorkers, loop, maxRate, rate)
	}
	if m.errors.Load() > 0 {
		fmt.Printf("FAIL: %d errors during the closed loop\n", m.errors.Load())
		return 1
	}
	before := s.idle(m, "before")
	samples := m.openLoop(rate, *duration, s, csv)
	after := s.idle(m, "after")
	if !judge(samples, *duration, m, before, after, *database != "") {
		return 1
	}
	return 0
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "soak:", err)
	return 2
}

// The mix: each operation is one call through a real client. Reads make two thirds of it, as on a
// development control plane where people browse files, lineage and resources more than they change them;
// the writes walk files through edit, commit and deploy, and create and delete files, resources, tables and
// package grants in pairs so that the data stays the same size however long the run.
type op struct {
	name   string
	weight int
	run    func(*mix) error
}

var ops = []op{
	{"rpc:ListFiles(keyword)", 15, (*mix).listFiles},
	{"rpc:GetFile", 15, (*mix).getFile},
	{"rpc:GetMetaTableProducingTasks", 6, (*mix).producingTasks},
	{"rpc:GetMetaTableLineage", 6, (*mix).tableLineage},
	{"roa:ListProjects", 6, (*mix).roaListProjects},
	{"rpc:ListProjects(ACS3)", 4, (*mix).rpcListProjects},
	{"roa:GetTableInfo", 4, (*mix).getTableInfo},
	{"roa:GetPackage", 2, (*mix).getPackage},
	{"dli:ListJobResources", 5, (*mix).dliList},
	{"native:DownloadResource", 5, (*mix).download},
	{"rpc:UpdateFile|SubmitFile|DeployFile", 18, (*mix).fileCycle},
	{"rpc:CreateFile|DeleteFile", 4, (*mix).fileChurn},
	{"native:UploadResource|DeleteResource", 4, (*mix).resourceChurn},
	{"native:RunSQL(CREATE|DROP TABLE)", 4, (*mix).ddlChurn},
	{"roa:UpdatePackage(add|remove)", 2, (*mix).packageChange},
}

const (
	project  = "soak_dw"
	peer     = "soak_peer"
	pkg      = "soak_pkg"
	folder   = "业务流程/soak/MaxCompute/jobs"
	churnMax = 16 // at most this many scratch files, resources or tables at once
)

type file struct {
	id, node int64
	step     int // the next write: 0 edit, 1 commit, 2 deploy
	edits    int
}

// churn is a bounded set of names the mix creates and deletes.
type churn struct {
	mu    sync.Mutex
	next  int
	names []string
}

// take decides the next change: create a new name (true) or delete an existing one (false), keeping
// between 1 and churnMax names so that the set neither empties nor grows.
func (c *churn) take(prefix string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.names) > 0 && (len(c.names) >= churnMax || rand.IntN(2) == 0) {
		i := rand.IntN(len(c.names))
		n := c.names[i]
		c.names = slices.Delete(c.names, i, i+1)
		return n, false
	}
	c.next++
	return prefix + strconv.Itoa(c.next), true
}

// done records a created name once its creation succeeded.
func (c *churn) done(name string) {
	c.mu.Lock()
	c.names = append(c.names, name)
	c.mu.Unlock()
}

// pooled is the darabonba client's HTTP client: the SDK's own makes a transport per runtime option set; this
// one sends through the mix's transport, whose idle connections the soak can close.
type pooled struct{ c *http.Client }

func (p pooled) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return p.c.Do(req)
}

type mix struct {
	endpoint string
	tr       *http.Transport // every client's connections
	dw       *dataworks.Client
	dara     *openapi.Client
	dli      *dliv1.DliClient
	native   *native.Client
	runtime  *dara.RuntimeOptions

	projectID int64
	files     chan *file // checked out by one operation at a time
	fileIDs   []int64    // for reads, which do not check out
	sources   []string
	outputs   []string
	stable    []string // resources that are only read
	payload   []byte

	scratch, resources, tables churn
	pkgMu                      sync.Mutex
	granted                    bool

	errors   atomic.Int64
	logged   atomic.Int64
	perOp    []atomic.Int64 // errors per operation
	countsOp []atomic.Int64
	late     int64 // open-loop requests not sent at their time
}

func newMix(endpoint string) (*mix, error) {
	u, _ := url.Parse(endpoint)
	// The clients keep a pool of connections as a long-running program would, all in one transport so that
	// the idle measurements can close them (then the server's connection count starts from nothing).
	tr := &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	hc := &http.Client{Timeout: time.Minute, Transport: tr}
	cfg := sdk.NewConfig().WithScheme("HTTP").WithHttpTransport(tr)
	dw, err := dataworks.NewClientWithOptions("cn-hangzhou", cfg, credentials.NewAccessKeyCredential(benchserve.RootKey, benchserve.RootSecret))
	if err != nil {
		return nil, err
	}
	dw.Domain = u.Host
	dc, err := openapi.NewClient(&openapi.Config{AccessKeyId: dara.String(benchserve.RootKey), AccessKeySecret: dara.String(benchserve.RootSecret),
		Endpoint: dara.String(u.Host), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou"), HttpClient: pooled{hc}})
	if err != nil {
		return nil, err
	}
	nc := &native.Client{Endpoint: endpoint, AccessKeyID: benchserve.RootKey, AccessKeySecret: benchserve.RootSecret, HTTP: hc}
	payload := make([]byte, 16<<10)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	return &mix{endpoint: endpoint, tr: tr, dw: dw, dara: dc, native: nc, payload: payload,
		runtime: &dara.RuntimeOptions{},
		perOp:   make([]atomic.Int64, len(ops)), countsOp: make([]atomic.Int64, len(ops))}, nil
}

// seed creates the project, its source and output tables, files committed once (so each has a node and
// lineage), stable resources, a peer project and a package.
func (m *mix) seed(nfiles int) error {
	ctx := context.Background()
	cp := dataworks.CreateCreateProjectRequest()
	cp.ProjectIdentifier = project
	r, err := m.dw.CreateProject(cp)
	if err != nil {
		return fmt.Errorf("CreateProject: %w", err)
	}
	m.projectID = r.Data
	if _, err := m.native.CreateProject(ctx, peer, "", ""); err != nil {
		return err
	}
	p, err := m.native.GetProject(ctx, project)
	if err != nil {
		return err
	}
	cred, err := basic.NewCredentialsBuilder().WithAk(benchserve.RootKey).WithSk(benchserve.RootSecret).WithProjectId(p.UUID).SafeBuild()
	if err != nil {
		return err
	}
	hc, err := dliv1.DliClientBuilder().WithCredential(cred).WithEndpoints([]string{m.endpoint}).
		WithHttpConfig(config.DefaultHttpConfig().WithUserAgent("sluice-soak/1.0").WithTimeout(time.Minute).WithHttpTransport(m.tr)).SafeBuild()
	if err != nil {
		return err
	}
	m.dli = dliv1.NewDliClient(hc)

	var ddl strings.Builder
	for i := range 8 {
		m.sources = append(m.sources, fmt.Sprintf("src_%d", i))
		fmt.Fprintf(&ddl, "CREATE TABLE src_%d (id BIGINT COMMENT 'key', v STRING, ds STRING) COMMENT 'source %d';\n", i, i)
	}
	for i := range nfiles {
		m.outputs = append(m.outputs, fmt.Sprintf("out_%d", i))
		fmt.Fprintf(&ddl, "CREATE TABLE out_%d (id BIGINT, v STRING);\n", i)
	}
	if _, err := m.native.RunSQL(ctx, project, ddl.String()); err != nil {
		return fmt.Errorf("RunSQL: %w", err)
	}
	cb := dataworks.CreateCreateBusinessRequest()
	cb.ProjectId, cb.BusinessName = requests.NewInteger64(m.projectID), "soak"
	if _, err := m.dw.CreateBusiness(cb); err != nil {
		return fmt.Errorf("CreateBusiness: %w", err)
	}
	m.files = make(chan *file, nfiles)
	for i := range nfiles {
		id, err := m.createFile(fmt.Sprintf("job_%d", i), m.sql(i, 0))
		if err != nil {
			return err
		}
		sub := dataworks.CreateSubmitFileRequest()
		sub.ProjectId, sub.FileId, sub.Comment = requests.NewInteger64(m.projectID), requests.NewInteger64(id), "seed"
		if _, err := m.dw.SubmitFile(sub); err != nil {
			return fmt.Errorf("SubmitFile: %w", err)
		}
		g := dataworks.CreateGetFileRequest()
		g.ProjectId, g.FileId = requests.NewInteger64(m.projectID), requests.NewInteger64(id)
		gf, err := m.dw.GetFile(g)
		if err != nil {
			return fmt.Errorf("GetFile: %w", err)
		}
		m.files <- &file{id: id, node: gf.Data.File.NodeId}
		m.fileIDs = append(m.fileIDs, id)
	}
	for i := range 8 {
		name := fmt.Sprintf("stable_%d.txt", i)
		if err := m.upload(name); err != nil {
			return err
		}
		m.stable = append(m.stable, name)
	}
	body := `{"name":"` + pkg + `","resourceList":{"table":[{"name":"src_0","actions":["describe","select"]}]}}`
	_, err = m.roa("CreatePackage", "POST", "/api/v1/projects/"+project+"/packages", nil, &body)
	return err
}

// sql is the content of file i at edit n: it reads a source table and overwrites the file's output table,
// so every commit records lineage.
func (m *mix) sql(i, n int) string {
	return fmt.Sprintf("-- edit %d\nINSERT OVERWRITE TABLE out_%d SELECT id, v FROM src_%d WHERE ds = '${bizdate}';\n", n, i, (i+n)%len(m.sources))
}

func (m *mix) pid() requests.Integer { return requests.NewInteger64(m.projectID) }

func (m *mix) createFile(name, content string) (int64, error) {
	req := dataworks.CreateCreateFileRequest()
	req.ProjectId, req.FileFolderPath, req.FileName, req.FileType, req.Content = m.pid(), folder, name, requests.NewInteger(10), content
	// AutoParsing: the commit parses the SQL and records its lineage, as DataWorks' editor sets it.
	req.CreateFolderIfNotExists, req.AutoParsing = requests.NewBoolean(true), requests.NewBoolean(true)
	r, err := m.dw.CreateFile(req)
	if err != nil {
		return 0, fmt.Errorf("CreateFile %s: %w", name, err)
	}
	return r.Data, nil
}

func (m *mix) upload(name string) error {
	sum := sha256.Sum256(m.payload)
	_, err := m.native.UploadResource(context.Background(), project, "soak", "file", name, bytes.NewReader(m.payload), int64(len(m.payload)), hex.EncodeToString(sum[:]))
	return err
}

// roa calls a MaxCompute 2022-01-04 operation with darabonba's CallApi, as the generated client does.
func (m *mix) roa(action, method, path string, query map[string]*string, body *string) (map[string]any, error) {
	p := &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
		ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
	req := &openapi.OpenApiRequest{Query: query}
	if body != nil {
		req.Body = *body
	}
	return m.dara.CallApi(p, req, m.runtime)
}

func pick[T any](s []T) T { return s[rand.IntN(len(s))] }

// The reads.

func (m *mix) listFiles() error {
	req := dataworks.CreateListFilesRequest()
	req.ProjectId, req.Keyword, req.PageSize = m.pid(), "job_"+strconv.Itoa(rand.IntN(10)), requests.NewInteger(20)
	r, err := m.dw.ListFiles(req)
	if err == nil && r.Data.TotalCount == 0 {
		err = errors.New("ListFiles found nothing")
	}
	return err
}

func (m *mix) getFile() error {
	req := dataworks.CreateGetFileRequest()
	req.ProjectId, req.FileId = m.pid(), requests.NewInteger64(pick(m.fileIDs))
	r, err := m.dw.GetFile(req)
	if err == nil && r.Data.File.Content == "" {
		err = errors.New("GetFile answered no content")
	}
	return err
}

func (m *mix) producingTasks() error {
	req := dataworks.CreateGetMetaTableProducingTasksRequest()
	req.TableGuid = "odps." + project + "." + pick(m.outputs)
	r, err := m.dw.GetMetaTableProducingTasks(req)
	if err == nil && len(r.Data) == 0 {
		err = errors.New("GetMetaTableProducingTasks found no producer")
	}
	return err
}

func (m *mix) tableLineage() error {
	req := dataworks.CreateGetMetaTableLineageRequest()
	req.TableGuid, req.Direction, req.PageSize = "odps."+project+"."+pick(m.sources), "down", requests.NewInteger(20)
	_, err := m.dw.GetMetaTableLineage(req)
	return err
}

func (m *mix) roaListProjects() error {
	_, err := m.roa("ListProjects", "GET", "/api/v1/projects", map[string]*string{"maxItem": dara.String("20")}, nil)
	return err
}

func (m *mix) rpcListProjects() error {
	p := &openapi.Params{Action: dara.String("ListProjects"), Version: dara.String("2020-05-18"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json")}
	_, err := m.dara.CallApi(p, &openapi.OpenApiRequest{Body: map[string]any{"PageNumber": 1, "PageSize": 20}}, m.runtime)
	return err
}

func (m *mix) getTableInfo() error {
	_, err := m.roa("GetTableInfo", "GET", "/api/v1/projects/"+project+"/tables/"+pick(m.sources), nil, nil)
	return err
}

func (m *mix) getPackage() error {
	_, err := m.roa("GetPackage", "GET", "/api/v1/projects/"+project+"/packages/"+pkg, nil, nil)
	return err
}

func (m *mix) dliList() error {
	//lint:ignore SA1019 the SDK deprecates the operation for a newer API; this is the one Sluice serves and users' code calls
	r, err := m.dli.ListJobResources(&model.ListJobResourcesRequest{})
	if err == nil && (r.Total == nil || int(*r.Total) < len(m.stable)) {
		err = fmt.Errorf("ListJobResources listed %v resources, want at least %d", r.Total, len(m.stable))
	}
	return err
}

func (m *mix) download() error {
	n, _, err := m.native.DownloadResource(context.Background(), project, "soak", pick(m.stable), io.Discard)
	if err == nil && n != int64(len(m.payload)) {
		err = fmt.Errorf("downloaded %d bytes, want %d", n, len(m.payload))
	}
	return err
}

// The writes.

// fileCycle takes one seeded file and moves it one step: edit, commit, deploy.
func (m *mix) fileCycle() error {
	f := <-m.files
	defer func() { m.files <- f }()
	var err error
	switch f.step {
	case 0:
		f.edits++
		i := slices.Index(m.fileIDs, f.id)
		req := dataworks.CreateUpdateFileRequest()
		req.ProjectId, req.FileId, req.Content = m.pid(), requests.NewInteger64(f.id), m.sql(i, f.edits)
		_, err = m.dw.UpdateFile(req)
	case 1:
		req := dataworks.CreateSubmitFileRequest()
		req.ProjectId, req.FileId, req.Comment = m.pid(), requests.NewInteger64(f.id), "soak edit "+strconv.Itoa(f.edits)
		_, err = m.dw.SubmitFile(req)
	case 2:
		req := dataworks.CreateDeployFileRequest()
		req.ProjectId, req.NodeId, req.Comment = m.pid(), requests.NewInteger64(f.node), "soak deploy"
		_, err = m.dw.DeployFile(req)
	}
	if err == nil {
		f.step = (f.step + 1) % 3
	}
	return err
}

// fileChurn creates a scratch file or deletes one.
func (m *mix) fileChurn() error {
	name, create := m.scratch.take("scratch_")
	if create {
		id, err := m.createFile(name, "SELECT 1;\n")
		if err == nil {
			m.scratch.done(strconv.FormatInt(id, 10))
		}
		return err
	}
	id, _ := strconv.ParseInt(name, 10, 64)
	req := dataworks.CreateDeleteFileRequest()
	req.ProjectId, req.FileId = m.pid(), requests.NewInteger64(id)
	_, err := m.dw.DeleteFile(req)
	return err
}

func (m *mix) resourceChurn() error {
	name, create := m.resources.take("churn_")
	if create {
		name += ".txt"
		err := m.upload(name)
		if err == nil {
			m.resources.done(name)
		}
		return err
	}
	return m.native.DeleteResource(context.Background(), project, "soak", name)
}

func (m *mix) ddlChurn() error {
	name, create := m.tables.take("tmp_")
	stmt := "DROP TABLE " + name + ";"
	if create {
		stmt = "CREATE TABLE " + name + " (id BIGINT COMMENT 'key', payload STRING) PARTITIONED BY (ds STRING);"
	}
	_, err := m.native.RunSQL(context.Background(), project, stmt)
	if err == nil && create {
		m.tables.done(name)
	}
	return err
}

// packageChange grants the package to the peer project or takes the grant back; one change at a time, as
// the two states alternate.
func (m *mix) packageChange() error {
	m.pkgMu.Lock()
	defer m.pkgMu.Unlock()
	body := `{"add":{"allowedProjectList":[{"project":"` + peer + `","label":"1"}]}}`
	if m.granted {
		body = `{"remove":{"allowedProjectList":[{"project":"` + peer + `"}]}}`
	}
	_, err := m.roa("UpdatePackage", "PUT", "/api/v1/projects/"+project+"/packages/"+pkg, nil, &body)
	if err == nil {
		m.granted = !m.granted
	}
	return err
}

// do runs one operation drawn by weight and counts its error.
func (m *mix) do() {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	n := rand.IntN(total)
	i := 0
	for ; n >= ops[i].weight; i++ {
		n -= ops[i].weight
	}
	m.countsOp[i].Add(1)
	if err := ops[i].run(m); err != nil {
		m.errors.Add(1)
		m.perOp[i].Add(1)
		if m.logged.Add(1) <= 20 {
			fmt.Fprintf(os.Stderr, "soak: %s: %v\n", ops[i].name, err)
		}
	}
}

// latencies collects the latencies of one sampling interval.
type latencies struct {
	mu  sync.Mutex
	cur []time.Duration
	all []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.cur = append(l.cur, d)
	l.mu.Unlock()
}

// cut returns the interval's latencies, sorted, and starts the next interval.
func (l *latencies) cut() []time.Duration {
	l.mu.Lock()
	c := l.cur
	l.cur = nil
	l.all = append(l.all, c...)
	l.mu.Unlock()
	slices.Sort(c)
	return c
}

func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}

// closedLoop runs the mix from workers that each send the next request as soon as the last is answered,
// for d, and returns how many requests were answered.
func (m *mix) closedLoop(d time.Duration, workers int, s *sampler, csv io.Writer) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var n atomic.Int64
	lat := &latencies{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t := time.Now()
				m.do()
				lat.add(time.Since(t))
				n.Add(1)
			}
		}()
	}
	stop := s.run("probe", lat, &m.errors, nil, csv)
	wg.Wait()
	stop()
	return n.Load()
}

// openLoop sends requests at rate, each at its scheduled time whether or not the earlier ones have been
// answered (so a slow server meets the same arrivals, and its queueing shows in the latencies, which run
// from the scheduled time), for d. It returns the samples taken.
func (m *mix) openLoop(rate float64, d time.Duration, s *sampler, csv io.Writer) []sample {
	interval := time.Duration(float64(time.Second) / rate)
	jobs := make(chan time.Time, 4096)
	lat := &latencies{}
	var late atomic.Int64
	var wg sync.WaitGroup
	// Enough workers that at the rate and a latency of a second none waits for another.
	for range max(64, int(rate)*2) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for at := range jobs {
				m.do()
				lat.add(time.Since(at))
			}
		}()
	}
	errBase := m.errors.Load()
	var errs atomic.Int64
	var samples []sample
	stop := s.run("soak", lat, &errs, &late, csv, func(x sample) { samples = append(samples, x) })
	start := time.Now()
	done := make(chan struct{})
	go func() {
		for range time.Tick(time.Second) {
			select {
			case <-done:
				return
			default:
				errs.Store(m.errors.Load() - errBase)
			}
		}
	}()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(at))
		select {
		case jobs <- at:
		default:
			// Every worker busy and the queue full: the server fell behind the rate.
			late.Add(1)
		}
	}
	close(jobs)
	wg.Wait()
	close(done)
	errs.Store(m.errors.Load() - errBase)
	stop()
	all := lat.all
	slices.Sort(all)
	fmt.Printf("\nopen loop: %d requests at %.1f requests/s for %s; p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d errors, %d late\n",
		len(all), rate, d, pct(all, .5), pct(all, .99), pct(all, 1), errs.Load(), late.Load())
	fmt.Println("\noperation                                 requests  errors")
	for i, o := range ops {
		fmt.Printf("%-40s %9d %7d\n", o.name, m.countsOp[i].Load(), m.perOp[i].Load())
	}
	m.late = late.Load()
	return samples
}

type sample struct {
	t                          time.Duration // since the phase began
	requests, errors, late     int64
	p50, p99                   float64
	rss, heap, goroutines, fds float64
	sockets                    float64 // of fds, those that are sockets
	anon, file                 float64 // RSS's anonymous part (the process's own memory) and its mapped files
	rate                       float64
}

type sampler struct {
	pid     int
	metrics string
	every   time.Duration
}

// run samples the server every interval until the returned function is called, writing each sample to
// csv and handing it to each keep.
func (s *sampler) run(phase string, lat *latencies, errs, late *atomic.Int64, csv io.Writer, keep ...func(sample)) func() {
	start := time.Now()
	quit := make(chan struct{})
	finished := make(chan struct{})
	var lastErr, lastLate int64
	take := func() {
		l := lat.cut()
		x := sample{t: time.Since(start), requests: int64(len(l)), p50: pct(l, .5), p99: pct(l, .99)}
		x.errors = errs.Load() - lastErr
		lastErr += x.errors
		if late != nil {
			x.late = late.Load() - lastLate
			lastLate += x.late
		}
		x.rss, x.anon, x.file, x.fds, x.sockets = s.proc()
		x.goroutines, x.heap = s.scrape()
		x.rate = float64(x.requests) / s.every.Seconds()
		fmt.Fprintf(csv, "%s,%.0f,%d,%d,%d,%.1f,%.2f,%.2f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n", phase, x.t.Seconds(), x.requests, x.errors, x.late,
			x.rate, x.p50, x.p99, x.rss, x.anon, x.file, x.heap, x.goroutines, x.fds, x.sockets)
		fmt.Printf("%s %5.0fs  %6.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  RSS %6.1f MiB (anon %6.1f)  heap %6.1f MiB  goroutines %4.0f  fds %3.0f\n",
			phase, x.t.Seconds(), x.rate, x.p50, x.p99, x.errors, x.rss/1024, x.anon/1024, x.heap/(1<<20), x.goroutines, x.fds)
		for _, k := range keep {
			k(x)
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				take()
			}
		}
	}()
	return func() { close(quit); <-finished }
}

// proc reads from /proc the server's resident memory (KiB), whole and in its two parts — anonymous (the
// heap, stacks, SQLite's page cache) and file-backed (chiefly SQLite's memory-mapped database files, which
// grow with the database up to mmap_size and are the kernel's to drop) — its number of open file
// descriptors and how many of those are sockets.
func (s *sampler) proc() (rss, anon, file, fds, sockets float64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid)); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			v, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "VmRSS:":
				rss = v
			case "RssAnon:":
				anon = v
			case "RssFile:":
				file = v
			}
		}
	}
	dir := fmt.Sprintf("/proc/%d/fd", s.pid)
	if es, err := os.ReadDir(dir); err == nil {
		fds = float64(len(es))
		for _, e := range es {
			if l, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && strings.HasPrefix(l, "socket:") {
				sockets++
			}
		}
	}
	return rss, anon, file, fds, sockets
}

// idle closes every client connection, lets the server settle and measures it with no request in flight:
// the smallest of three readings a second apart (a reading's own scrape is one goroutine more).
func (s *sampler) idle(m *mix, label string) sample {
	m.tr.CloseIdleConnections()
	time.Sleep(5 * time.Second)
	var x sample
	for i := range 3 {
		var y sample
		y.rss, y.anon, y.file, y.fds, y.sockets = s.proc()
		y.goroutines, y.heap = s.scrape()
		if i == 0 {
			x = y
		}
		x.rss, x.anon, x.file = min(x.rss, y.rss), min(x.anon, y.anon), min(x.file, y.file)
		x.fds, x.sockets = min(x.fds, y.fds), min(x.sockets, y.sockets)
		x.goroutines, x.heap = min(x.goroutines, y.goroutines), min(x.heap, y.heap)
		time.Sleep(time.Second)
	}
	fmt.Printf("idle %-6s RSS %6.1f MiB (anon %.1f)  heap %6.1f MiB  goroutines %4.0f  fds %3.0f (sockets %.0f)\n",
		label, x.rss/1024, x.anon/1024, x.heap/(1<<20), x.goroutines, x.fds, x.sockets)
	return x
}

// scrape reads go_goroutines and go_memstats_heap_inuse_bytes from the server's Prometheus endpoint. The
// scrape itself is one more goroutine on the server while it runs, the same in every sample.
func (s *sampler) scrape() (goroutines, heap float64) {
	resp, err := http.Get(s.metrics)
	if err != nil {
		return math.NaN(), math.NaN()
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		switch f[0] {
		case "go_goroutines":
			goroutines, _ = strconv.ParseFloat(f[1], 64)
		case "go_memstats_heap_inuse_bytes":
			heap, _ = strconv.ParseFloat(f[1], 64)
		}
	}
	return goroutines, heap
}

// judge prints the summary and says whether the run passed: no error, no late request, and no growth.
//
// Growth is judged three ways:
//   - idle, before and after the run, every client connection closed: goroutines and open files other than
//     sockets within 5 (a few goroutines and files come and go with timers, the database pools and the
//     WAL), sockets within 5 on SQLite and within PostgreSQL's pool size (32) more, since database/sql
//     keeps idle database connections for minutes;
//   - under load, between the early window (a sixth of the run from the start of the steady part, below:
//     minutes 16–21 of 30) and the late one (the last sixth): the goroutines beyond one per open
//     connection, and the open files other than sockets, by their floor — the fewest seen in the window —
//     within 10. Connections are the clients' choice (a pool that grows after a slow moment keeps its
//     connections, each one a socket and a goroutine on the server), and the requests in flight, which a
//     busy neighbour on the machine swings by hundreds, add goroutines for moments; a leak lifts the floor;
//   - memory: RSS's anonymous part, the late window's mean within 10 % of the early one's, and so the
//     trend, the slope of a least-squares line through every steady sample times the steady duration. The
//     Go heap breathes with the collector's pacing, and SQLite's connections fill their caches and prepare
//     their statements as load first reaches each of them (in steps, bounded by the pool); a leak of a few hundred bytes a request adds tens of MiB over a run. RSS's file-backed
//     part is shown, not judged: it is the database files SQLite maps (mmap_size, 64 MiB a file), which
//     grow with the history the mix writes (file versions, deployments, the audit log, nonces).
//
// The steady part starts after a sixth of the run, or, in a run long enough to leave both windows after it,
// once the first nonces have expired (the signature window and a minute): until then the nonce table only
// grows, and afterwards the minutely purge takes out what comes in, and the first purges, the largest (the
// closed loop's nonces), are part of what the steady state has to absorb.
func judge(samples []sample, d time.Duration, m *mix, before, after sample, postgres bool) bool {
	window := d / 6
	warm := window
	if settle := api.DefaultMaxSkew + time.Minute; settle > warm && settle+window <= d-window {
		warm = settle
	}
	var steady, early, late []sample
	for _, x := range samples {
		if x.t <= warm {
			continue
		}
		steady = append(steady, x)
		if x.t <= warm+window {
			early = append(early, x)
		}
		if x.t > d-window {
			late = append(late, x)
		}
	}
	ok := true
	fail := func(format string, a ...any) {
		ok = false
		fmt.Printf("FAIL: "+format+"\n", a...)
	}
	if m.errors.Load() > 0 {
		fail("%d requests failed", m.errors.Load())
	}
	if m.late > 0 {
		fail("%d requests could not be sent at their time: the server fell behind the rate", m.late)
	}

	sockTol := 5.0
	if postgres {
		sockTol += 32
	}
	fmt.Println("\nidle, no connection      before     after    change   tolerance   verdict")
	for _, g := range []struct {
		name string
		b, a float64
		tol  float64
	}{
		{"RSS (MiB)", before.rss / 1024, after.rss / 1024, math.Inf(1)},
		{"RSS anon (MiB)", before.anon / 1024, after.anon / 1024, math.Inf(1)},
		{"RSS file (MiB)", before.file / 1024, after.file / 1024, math.Inf(1)},
		{"heap (MiB)", before.heap / (1 << 20), after.heap / (1 << 20), math.Inf(1)},
		{"goroutines", before.goroutines, after.goroutines, 5},
		{"files (not sockets)", before.fds - before.sockets, after.fds - after.sockets, 5},
		{"sockets", before.sockets, after.sockets, sockTol},
	} {
		verdict, tolText := "ok", fmt.Sprintf("+%.0f", g.tol)
		if math.IsInf(g.tol, 1) {
			verdict, tolText = "-", "(shown)"
		} else if g.a-g.b > g.tol {
			verdict = "GROWS"
			fail("%s grows at idle: %.0f before, %.0f after", g.name, g.b, g.a)
		}
		fmt.Printf("%-22s %9.1f %9.1f %+9.1f   %-11s %s\n", g.name, g.b, g.a, g.a-g.b, tolText, verdict)
	}

	if len(early) < 2 || len(late) < 2 {
		fail("too few samples to judge growth under load (%d early, %d late): run longer", len(early), len(late))
		return false
	}
	fmt.Printf("\nunder load: steady from %s; early window %s–%s, late window %s–%s\n", warm, warm, warm+window, d-window, d)
	fmt.Println("metric                   early      late    change   trend over steady   tolerance    verdict")
	type gauge struct {
		name string
		get  func(sample) float64
		stat string // "mean" or "floor"
		tol  float64
		rel  bool
	}
	for _, g := range []gauge{
		{"RSS anon (MiB) mean", func(x sample) float64 { return x.anon / 1024 }, "mean", 0.10, true},
		{"RSS (MiB) mean", func(x sample) float64 { return x.rss / 1024 }, "mean", math.Inf(1), false},
		{"RSS file (MiB) mean", func(x sample) float64 { return x.file / 1024 }, "mean", math.Inf(1), false},
		{"heap (MiB) mean", func(x sample) float64 { return x.heap / (1 << 20) }, "mean", math.Inf(1), false},
		{"goroutines-conns floor", func(x sample) float64 { return x.goroutines - x.sockets }, "floor", 10, false},
		{"files floor", func(x sample) float64 { return x.fds - x.sockets }, "floor", 10, false},
		{"goroutines mean", func(x sample) float64 { return x.goroutines }, "mean", math.Inf(1), false},
		{"sockets mean", func(x sample) float64 { return x.sockets }, "mean", math.Inf(1), false},
	} {
		stat := mean
		if g.stat == "floor" {
			stat = floor
		}
		e, l := stat(early, g.get), stat(late, g.get)
		trend := regression(steady, g.get) * (d - warm).Seconds()
		tol, tolText := g.tol, fmt.Sprintf("+%.0f", g.tol)
		if g.rel {
			tol = e * g.tol
			tolText = fmt.Sprintf("+%.0f%% (%.1f)", 100*g.tol, tol)
		}
		verdict := "ok"
		switch {
		case math.IsInf(tol, 1):
			tolText, verdict = "(shown)", "-"
		case l-e > tol || (g.stat == "mean" && trend > tol):
			verdict = "GROWS"
			fail("%s grows under load: early %.1f, late %.1f, trend %+.1f (tolerance %s)", g.name, e, l, trend, tolText)
		}
		fmt.Printf("%-22s %8.1f %9.1f %+9.1f %+19.1f   %-12s %s\n", g.name, e, l, l-e, trend, tolText, verdict)
	}
	if ok {
		fmt.Println("PASS: no errors, no late requests, no growth")
	}
	return ok
}

func mean(xs []sample, get func(sample) float64) float64 {
	var s float64
	for _, x := range xs {
		s += get(x)
	}
	return s / float64(len(xs))
}

func floor(xs []sample, get func(sample) float64) float64 {
	f := math.Inf(1)
	for _, x := range xs {
		f = min(f, get(x))
	}
	return f
}

// regression is the slope, per second, of the least-squares line through the samples.
func regression(xs []sample, get func(sample) float64) float64 {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for _, x := range xs {
		t, y := x.t.Seconds(), get(x)
		sx, sy, sxx, sxy = sx+t, sy+y, sxx+t*t, sxy+t*y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
