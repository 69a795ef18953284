package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// TestSignedReplayAfterKill sends signed requests from several clients at once (so their nonces are
// committed in shared batches), kills the server with SIGKILL the moment they are answered, restarts it
// and sends every answered request again: each is refused as a replay. An acknowledged nonce is as durable
// as any other write.
func TestSignedReplayAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildSluice(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	env := serveEnv(t)
	server := startServe(t, bin, addr, dir, env...)
	id, secret := readCredentials(t, dir)

	newReq := func() *http.Request {
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/projects?maxItem=10", nil)
		req.Header.Set("x-acs-action", "ListProjects")
		req.Header.Set("x-acs-version", "2022-01-04")
		auth.SignACS3(req, nil, id, secret, time.Now(), "")
		return req
	}
	send := func(req *http.Request) (int, string) {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	// DataWorks RPC (HMAC-SHA1 in the query) besides MaxCompute ROA (ACS3): both serve a read while its nonce
	// is recorded, and both must still refuse its replay.
	newRPC := func() *http.Request {
		params := url.Values{"Action": {"ListProjects"}, "Version": {"2020-05-18"}, "PageSize": {"10"}}
		auth.SignRPC("GET", params, id, secret, time.Now(), "")
		req, _ := http.NewRequest("GET", "http://"+addr+"/?"+params.Encode(), nil)
		return req
	}
	var mu sync.Mutex
	var answered []*http.Request
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				req := newReq()
				if w%2 == 1 {
					req = newRPC()
				}
				again := req.Clone(req.Context())
				if status, body := send(req); status != http.StatusOK {
					t.Errorf("first send: HTTP %d %s", status, body)
					return
				}
				mu.Lock()
				answered = append(answered, again)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// A replay while the server runs is refused too.
	if status, body := send(answered[0].Clone(answered[0].Context())); status != http.StatusBadRequest || !strings.Contains(body, "SignatureNonceUsed") {
		t.Fatalf("replay: HTTP %d %s", status, body)
	}
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()

	startServe(t, bin, addr, dir, env...)
	for _, req := range answered {
		if status, body := send(req); status != http.StatusBadRequest || !strings.Contains(body, "SignatureNonceUsed") {
			t.Fatalf("replay after the restart: HTTP %d %s", status, body)
		}
	}
}
