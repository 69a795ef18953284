//lint:file-ignore SA1019 the SDK marks every DLI package API deprecated; they still exist and work, and Sluice serves them (dli-resources.md, status note)

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dli/v1/model"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/sluicetest"
	"github.com/sluice-dev/sluice/storetest"
)

// replicaOptions are the options of servers that run as replicas of one service: one PostgreSQL database
// and one blob store (the S3-compatible server in the end-to-end pass on S3, else a shared directory), one
// master key and root key, as a service runs behind a load balancer; background jobs' leases last lease.
func replicaOptions(t *testing.T, lease time.Duration, opts sluicetest.Options) sluicetest.Options {
	t.Helper()
	dir := t.TempDir() // shared: the master key, and the blob directory when there is no S3 store
	opts.DataDir, opts.Database, opts.JobLease = dir, storetest.PostgresDSN(t)(t), lease
	if opts.Blob = e2eBlob(t); opts.Blob == "" {
		opts.Blob = "file://" + filepath.ToSlash(filepath.Join(dir, "blobs"))
	}
	opts.RootAccessKeyID, opts.RootAccessKeySecret = "LTAIreplicas", "replicas-secret"
	return opts
}

// replica starts one replica; stop ends it (once; the test's end stops it otherwise).
func replica(t *testing.T, opts sluicetest.Options) (srv *sluicetest.Server, stop func()) {
	t.Helper()
	srv, err := sluicetest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			if err := srv.Stop(); err != nil {
				t.Errorf("stop a replica: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return srv, stop
}

// rpcCall sends a DataWorks action to srv with the HMAC-SHA1 RPC signature (nonce "" for a random one) and
// returns the status and body.
func rpcCall(t *testing.T, srv *sluicetest.Server, nonce, action string, kv ...string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"Action": {action}, "Version": {"2020-05-18"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	auth.SignRPC("POST", form, srv.AccessKeyID, srv.AccessKeySecret, time.Now(), nonce)
	res, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// Two replicas on one PostgreSQL and one blob store behave as one server: concurrent commits of one file
// through both give consecutive versions with no duplicates; a request replayed to the other replica is
// refused; a console session made on one works on the other; an asynchronous upload started on a replica
// that dies is finished by the other.
func TestTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("two servers")
	}
	// The upload's source trickles its first copy until the replica copying it is gone.
	src := newTrickleSource(t, 1<<20)
	payload, started, host := src.payload, src.started, src.host

	opts := replicaOptions(t, 2*time.Second, sluicetest.Options{FetchAllowHosts: []string{host}, FetchAllowPrivate: []string{host}})
	// The first replica serves alone until its upload is copying, so that the copy is surely its own.
	a, stopA := replica(t, opts)
	ctx := context.Background()
	p, err := a.Client().CreateProject(ctx, "two_replicas", "", "")
	if err != nil {
		t.Fatal(err)
	}
	pid := strconv.FormatInt(p.ID, 10)
	var b *sluicetest.Server
	parent := t // replicas started in a subtest live as long as the whole test

	t.Run("upload outlives its replica", func(t *testing.T) {
		async := true
		up, err := dliClient(t, a, a.AccessKeyID, a.AccessKeySecret, p.UUID).UploadJobResources(&model.UploadJobResourcesRequest{
			Body: &model.UploadJobResourcesRequestBody{Paths: []string{"http://" + host + "/models/slow.bin"}, Kind: "modelFile",
				Group: "models", IsAsync: &async}})
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
		// A second replica joins; the first dies while copying. Its lease runs out and the second finishes.
		b, _ = replica(parent, opts)
		stopA()
		waitReady(t, dliClient(t, b, b.AccessKeyID, b.AccessKeySecret, p.UUID), "models", "slow.bin", 40*time.Second, "after its replica stopped")
		var got bytes.Buffer
		if _, _, err := b.Client().DownloadResource(ctx, p.Name, "models", "slow.bin", &got); err != nil {
			t.Fatal(err)
		}
		n := src.copies()
		if !bytes.Equal(got.Bytes(), payload) || n != 2 {
			t.Fatalf("the finished upload has %d bytes (want %d) from %d copies (want 2: the dead replica's and the survivor's)", got.Len(), len(payload), n)
		}
	})

	// From here on two live replicas: the survivor and a new one.
	a, _ = replica(t, opts)

	t.Run("commits", func(t *testing.T) {
		for _, step := range [][]string{{"CreateBusiness", "BusinessName", "wf", "UseType", "NORMAL"}, {"CreateFolder", "FolderPath", "业务流程/wf/MaxCompute"}} {
			if status, out := rpcCall(t, a, "", step[0], append([]string{"ProjectId", pid}, step[1:]...)...); status != 200 {
				t.Fatalf("%s: %d %v", step[0], status, out)
			}
		}
		status, out := rpcCall(t, a, "", "CreateFile", "ProjectId", pid, "FileName", "shared", "FileType", "10",
			"Content", "SELECT 0;", "FileFolderPath", "业务流程/wf/MaxCompute")
		if status != 200 {
			t.Fatalf("CreateFile: %d %v", status, out)
		}
		file := strconv.FormatInt(int64(out["Data"].(float64)), 10)
		const each = 8
		var wg sync.WaitGroup
		for i, srv := range []*sluicetest.Server{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range each {
					content := "SELECT " + strconv.Itoa(i*100+j) + ";"
					if s, out := rpcCall(t, srv, "", "UpdateFile", "ProjectId", pid, "FileId", file, "Content", content); s != 200 {
						t.Errorf("UpdateFile: %d %v", s, out)
						return
					}
					// A commit may find the draft already committed by the other replica's call: that is
					// refused, not lost; only acknowledged commits count.
					rpcCall(t, srv, "", "SubmitFile", "ProjectId", pid, "FileId", file, "Comment", content)
				}
			}()
		}
		wg.Wait()
		status, out = rpcCall(t, b, "", "ListFileVersions", "ProjectId", pid, "FileId", file, "PageSize", "100")
		if status != 200 {
			t.Fatalf("ListFileVersions: %d %v", status, out)
		}
		list := out["Data"].(map[string]any)["FileVersions"].([]any)
		seen := map[int]bool{}
		for _, v := range list {
			n := int(v.(map[string]any)["FileVersion"].(float64))
			if seen[n] {
				t.Fatalf("version %d twice: %v", n, list)
			}
			seen[n] = true
		}
		for n := 1; n <= len(list); n++ {
			if !seen[n] {
				t.Fatalf("versions are not 1..%d: %v", len(list), seen)
			}
		}
		if len(list) < 2 {
			t.Fatalf("only %d versions", len(list))
		}
		t.Logf("%d consecutive versions from %d commits attempted through two replicas", len(list), 2*each)
	})

	t.Run("replay", func(t *testing.T) {
		nonce := "replayed-nonce-" + strconv.FormatInt(time.Now().UnixNano(), 10)
		form := url.Values{"Action": {"ListProjects"}, "Version": {"2020-05-18"}}
		auth.SignRPC("POST", form, a.AccessKeyID, a.AccessKeySecret, time.Now(), nonce)
		body := form.Encode()
		for i, srv := range []*sluicetest.Server{a, b} {
			res, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if i == 0 && res.StatusCode != 200 {
				t.Fatalf("first send: %d %s", res.StatusCode, out)
			}
			if i == 1 && (res.StatusCode == 200 || !strings.Contains(string(out), "SignatureNonceUsed")) {
				t.Fatalf("replayed to the other replica: %d %s", res.StatusCode, out)
			}
		}
	})

	t.Run("console", func(t *testing.T) {
		_, root, err := a.Server.Core.Authenticate(ctx, a.AccessKeyID)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Server.Core.SetPassword(sluice.NewContextWithCaller(ctx, &sluice.Caller{User: root}), "root", "a password for both"); err != nil {
			t.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar}
		res, err := hc.Post(a.URL+"/console/api/signin", "application/json", strings.NewReader(`{"user":"root","password":"a password for both"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("sign in on the first replica: %d", res.StatusCode)
		}
		// The cookie, as a browser behind a balancer sends it to whichever replica answers.
		ua, _ := url.Parse(a.URL + "/console/")
		ub, _ := url.Parse(b.URL + "/console/")
		jar.SetCookies(ub, jar.Cookies(ua))
		res, err = hc.Get(b.URL + "/console/api/session")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("the session on the other replica: %d", res.StatusCode)
		}
	})

}
