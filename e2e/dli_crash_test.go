//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them

package e2e

import (
	"bytes"
	"crypto/rand"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dliv1 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/envvar"
)

// TestDLI_AsyncUploadSurvivesKill starts an asynchronous upload whose source trickles its bytes, kills the
// server with SIGKILL while the copy runs, and restarts it: the upload ends READY with every byte (the job,
// kept in the database, is claimed again), instead of staying UPLOADING forever.
func TestDLI_AsyncUploadSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	src := newTrickleSource(t, 2<<20)
	payload, started, host := src.payload, src.started, src.host

	bin := buildSluice(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	env := append(serveEnv(t), envvar.FetchAllowHost+"="+host, envvar.FetchAllowPrivate+"="+host, envvar.JobLease+"=2s")
	server := startServe(t, bin, addr, dir, env...)
	id, secret := readCredentials(t, dir)
	admin := &native.Client{Endpoint: "http://" + addr, AccessKeyID: id, AccessKeySecret: secret}
	p, err := admin.CreateProject(t.Context(), "dli_crash", "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := dliClientAt(t, "http://"+addr, id, secret, p.UUID)
	async := true
	up, err := c.UploadJobResources(&model.UploadJobResourcesRequest{Body: &model.UploadJobResourcesRequestBody{
		Paths: []string{"http://" + host + "/models/slow.bin"}, Kind: "modelFile", Group: "models", IsAsync: &async}})
	if err != nil {
		t.Fatal(err)
	}
	if *(*up.Details)[0].Status != "UPLOADING" {
		t.Fatalf("async upload = %s", up)
	}
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("the job never started copying")
	}
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()

	startServe(t, bin, addr, dir, env...)
	waitReady(t, c, "models", "slow.bin", 30*time.Second, "after the restart")
	var got bytes.Buffer
	if _, _, err := admin.DownloadResource(t.Context(), p.Name, "models", "slow.bin", &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), payload) || src.copies() != 2 {
		t.Fatalf("resumed copy: %d bytes (want %d), %d source requests (want 2)", got.Len(), len(payload), src.copies())
	}
}

// trickleSource is a web server an upload copies from: its first copy gets 64 KiB and then waits (the
// server copying it is meant to die meanwhile); every later copy gets the whole payload at once.
type trickleSource struct {
	host    string
	payload []byte
	started chan struct{} // the first copy has begun
	n       atomic.Int32
}

func (s *trickleSource) copies() int { return int(s.n.Load()) }

func newTrickleSource(t *testing.T, size int) *trickleSource {
	t.Helper()
	s := &trickleSource{payload: make([]byte, size), started: make(chan struct{}, 1)}
	rand.Read(s.payload)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(s.payload)))
		if s.n.Add(1) > 1 { // the resumed copy gets the bytes at once
			w.Write(s.payload)
			return
		}
		// The first copy gets a little, then waits far longer than the test.
		w.Write(s.payload[:64<<10])
		w.(http.Flusher).Flush()
		s.started <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.host = ln.Addr().String()
	return s
}

// waitReady polls ShowJobResource until group/name leaves UPLOADING, failing the test (saying when, e.g.
// "after the restart") unless it turns READY within limit.
func waitReady(t *testing.T, c *dliv1.DliClient, group, name string, limit time.Duration, when string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		show, err := c.ShowJobResource(&model.ShowJobResourceRequest{ResourceName: name, Group: &group})
		if err != nil {
			t.Fatal(err)
		}
		if *show.Status == "READY" {
			return
		}
		if *show.Status != "UPLOADING" || time.Now().After(deadline) {
			t.Fatalf("%s the upload is %s", when, show)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
