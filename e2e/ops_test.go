package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/sluicetest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// TestOperations checks the request id in logs against the one returned, the metrics, and readiness.
func TestOperations(t *testing.T) {
	logs := &syncBuffer{}
	log := slog.New(api.LogHandler{Handler: slog.NewJSONHandler(logs, nil)})
	srv := newServer(t, sluicetest.Options{Logger: log})

	// A refused request: the caller's RequestId is the request_id of the server's log line.
	bad := &native.Client{Endpoint: srv.URL, AccessKeyID: srv.AccessKeyID, AccessKeySecret: "wrong"}
	_, err := bad.Whoami(t.Context())
	var ne *native.Error
	if !errors.As(err, &ne) || ne.Code != "SignatureDoesNotMatch" || ne.RequestID == "" {
		t.Fatalf("wrong secret: %v", err)
	}
	found := false
	for _, l := range logs.lines() {
		if l["request_id"] == ne.RequestID {
			found = true
			if l["code"] != "SignatureDoesNotMatch" || l["api"] != "native:Whoami" || l["level"] != "WARN" || l["status"] != float64(400) {
				t.Fatalf("log line %v", l)
			}
		}
	}
	if !found {
		t.Fatalf("no log line with request_id %s", ne.RequestID)
	}
	if _, err := srv.Client().Whoami(t.Context()); err != nil {
		t.Fatal(err)
	}

	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("/metrics")
	for _, want := range []string{
		`sluice_http_requests_total{api="native:Whoami",code="OK"} 1`,
		`sluice_http_requests_total{api="native:Whoami",code="SignatureDoesNotMatch"} 1`,
		`sluice_http_request_duration_seconds_bucket{api="native:Whoami"`,
	} {
		if status != 200 || !strings.Contains(body, want) {
			t.Fatalf("metrics lack %s:\n%s", want, body)
		}
	}
	if status, _ := get("/readyz"); status != 200 {
		t.Fatalf("readyz = %d", status)
	}
	// With the database gone, the process is alive but not ready.
	srv.Server.DB.Close()
	if status, _ := get("/readyz"); status != http.StatusServiceUnavailable {
		t.Fatalf("readyz without a database = %d", status)
	}
	if status, _ := get("/healthz"); status != 200 {
		t.Fatalf("healthz = %d", status)
	}
}
