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

// Server is a running `sluice serve`.
type Server struct {
	Endpoint string // e.g. http://127.0.0.1:34567
	PID      int    // the server's process, for reading its /proc entries
	Stop     func() // interrupts the server and waits for it to exit
}

// Start runs `bin serve` on a free loopback port with its state in dir (and its database at database, a
// PostgreSQL URL, when not empty) and the root key above, waits until /healthz answers, and returns the
// endpoint and a function that stops the server.
func Start(bin, dir, database string) (string, func(), error) {
	s, err := StartServer(bin, dir, database)
	if err != nil {
		return "", nil, err
	}
	return s.Endpoint, s.Stop, nil
}

// StartServer is Start returning the process too; extra arguments are passed to `serve`.
func StartServer(bin, dir, database string, extra ...string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--listen", addr, "--data-dir", dir, "--log-level", "warn"}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Env = append(os.Environ(), envvar.RootAccessKeyID+"="+RootKey, envvar.RootAccessKeySecret+"="+RootSecret)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	for range 400 {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return &Server{Endpoint: "http://" + addr, PID: cmd.Process.Pid, Stop: stop}, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("the server on %s did not start", addr)
}
