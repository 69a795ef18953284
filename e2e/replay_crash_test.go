package e2e

import (
	"io"
	"net/http"
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
	var mu sync.Mutex
	var answered []*http.Request
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				req := newReq()
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
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()

	startServe(t, bin, addr, dir, env...)
	for _, req := range answered {
		if status, body := send(req); status != http.StatusBadRequest || !strings.Contains(body, "SignatureNonceUsed") {
			t.Fatalf("replay after the restart: HTTP %d %s", status, body)
		}
	}
}
