// Package sluicetest starts a complete Sluice server inside the calling process, on a random local port
// with temporary storage, so that Go tests can point the vendors' SDKs at it:
//
//	srv := sluicetest.NewServer(t)
//	cfg := &openapi.Config{AccessKeyId: tea.String(srv.AccessKeyID), AccessKeySecret: tea.String(srv.AccessKeySecret),
//		Endpoint: tea.String(srv.Endpoint), Protocol: tea.String("http")}
//
// The server is the real one (same store, core and protocol faces as `sluice serve`), with SQLite in a
// temporary directory unless Options.Database names a PostgreSQL database.
package sluicetest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/server"
)

// Options configure an embedded server. The zero value is a fresh SQLite server with a random root key.
type Options struct {
	DataDir  string       // default: a new temporary directory, removed by Stop
	Database string       // default: SQLite in DataDir; or postgres://...
	Logger   *slog.Logger // default: discard logs

	RootAccessKeyID     string // default: random
	RootAccessKeySecret string // default: random

	// The resource centre: where bytes are kept (default a directory in DataDir) and where uploads may
	// copy them from (see server.Config).
	Blob              string
	ImportRoots       []string
	ImportS3          string
	FetchAllowHosts   []string
	FetchAllowPrivate []string
	JobLease          time.Duration // default core.DefaultJobLease
	OpenLineageURL    string        // where committed versions' OpenLineage events go; "" for nowhere
	// TLS serves HTTPS with a self-signed certificate (server.Config.TLSSelfSigned); Server.CA is the
	// certificate authority to trust.
	TLS bool
	// RateLimits throttle requests per access key and API (server.Config.RateLimits); none: no limits.
	RateLimits []string
}

// Server is a running embedded server.
type Server struct {
	URL      string // http://127.0.0.1:PORT
	Endpoint string // 127.0.0.1:PORT, the form the SDKs' Endpoint and Domain settings take

	// The root user's access key.
	AccessKeyID     string
	AccessKeySecret string

	// CA is the PEM certificate of the authority that signed the server's certificate (Options.TLS), nil
	// for plain HTTP.
	CA []byte

	// Server is the assembled server, for tests that reach past the wire (its Core, DB, Config).
	Server *server.Server

	tempDir string
	errc    chan error
}

// Start starts a server.
func Start(opts Options) (*Server, error) {
	s := &Server{errc: make(chan error, 1)}
	cfg := server.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = opts.DataDir
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "sluicetest-")
		if err != nil {
			return nil, err
		}
		cfg.DataDir, s.tempDir = dir, dir
	}
	cfg.Database = opts.Database
	cfg.Blob, cfg.ImportRoots, cfg.ImportS3, cfg.JobLease = opts.Blob, opts.ImportRoots, opts.ImportS3, opts.JobLease
	cfg.OpenLineageURL = opts.OpenLineageURL
	cfg.TLSSelfSigned = opts.TLS
	cfg.RateLimits = opts.RateLimits
	cfg.FetchAllowHosts, cfg.FetchAllowPrivate = opts.FetchAllowHosts, opts.FetchAllowPrivate
	cfg.RootAccessKeyID, cfg.RootAccessKeySecret = opts.RootAccessKeyID, opts.RootAccessKeySecret
	if cfg.RootAccessKeyID == "" {
		cfg.RootAccessKeyID, cfg.RootAccessKeySecret = "LTAItest"+random(8), random(15)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := server.New(context.Background(), cfg, log)
	if err != nil {
		s.cleanup()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		srv.Close()
		s.cleanup()
		return nil, err
	}
	s.Server = srv
	s.Endpoint = ln.Addr().String()
	s.URL = "http://" + s.Endpoint
	if opts.TLS {
		s.URL = "https://" + s.Endpoint
		if s.CA, err = os.ReadFile(filepath.Join(cfg.DataDir, server.TLSDir, server.TLSCAFile)); err != nil {
			srv.Close()
			s.cleanup()
			return nil, err
		}
	}
	s.AccessKeyID, s.AccessKeySecret = cfg.RootAccessKeyID, cfg.RootAccessKeySecret
	go func() { s.errc <- srv.Serve(ln) }()
	return s, nil
}

// NewServer starts a server for a test and stops it when the test ends.
func NewServer(tb testing.TB, opts ...Options) *Server {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	s, err := Start(o)
	if err != nil {
		tb.Fatalf("start sluice: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Errorf("stop sluice: %v", err)
		}
	})
	return s
}

// Client returns a client of the native API signed with the root key.
func (s *Server) Client() *native.Client {
	return &native.Client{Endpoint: s.URL, AccessKeyID: s.AccessKeyID, AccessKeySecret: s.AccessKeySecret, HTTP: s.HTTPClient()}
}

// HTTPClient returns an HTTP client for the server: it trusts the server's CA under TLS.
func (s *Server) HTTPClient() *http.Client {
	if s.CA == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CA)
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// Stop shuts the server down and removes its temporary directory.
func (s *Server) Stop() error {
	err := s.Server.Close()
	if serr := <-s.errc; err == nil {
		err = serr
	}
	s.cleanup()
	return err
}

func (s *Server) cleanup() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprint("sluicetest: ", err))
	}
	return hex.EncodeToString(b)
}
