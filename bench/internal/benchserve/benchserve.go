// Package benchserve starts a built sluice binary for the benchmarks that drive a real server.
package benchserve

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/sluice-dev/sluice/envvar"
)

// The root access key every benchmark server is started with.
const (
	RootKey    = "LTAIbenchmark"
	RootSecret = "benchmarksecret"
)

// Start runs `bin serve` on a free loopback port with its state in dir (and its database at database, a
// PostgreSQL URL, when not empty) and the root key above, waits until /healthz answers, and returns the
// endpoint and a function that stops the server.
func Start(bin, dir, database string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--listen", addr, "--data-dir", dir, "--log-level", "warn"}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), envvar.RootAccessKeyID+"="+RootKey, envvar.RootAccessKeySecret+"="+RootSecret)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	for range 400 {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return "http://" + addr, stop, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	stop()
	return "", nil, fmt.Errorf("the server on %s did not start", addr)
}
