package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	huaweiauth "github.com/sluice-dev/sluice/api/huawei/auth"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/blob"
	_ "github.com/sluice-dev/sluice/blob/fileblob" // file:// blob stores
	_ "github.com/sluice-dev/sluice/blob/s3blob"   // s3:// blob stores
	"github.com/sluice-dev/sluice/console"
	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/openlineage"
	"github.com/sluice-dev/sluice/seal"
	"github.com/sluice-dev/sluice/source"
	"github.com/sluice-dev/sluice/sqlstore"
)

// Server is a running Sluice: its store, its core and its HTTP handler.
type Server struct {
	Config Config
	DB     *sqlstore.DB
	Core   *core.Service
	Auth   *alibaba.Authenticator
	Log    *slog.Logger

	// Blobs keeps resource bytes (Config.Blob), probed writable at start; Sources opens the sources
	// uploads name, under the configured import roots, fetch hosts and import store.
	Blobs   sluice.BlobStore
	Sources sluice.SourceOpener

	// GeneratedRootKey is the root access key created by this start, when none was configured; it is
	// shown once and written to DataDir/root-credentials.
	GeneratedRootKey *sluice.AccessKey

	handler http.Handler
	limits  *api.Limiter // Config.RateLimits, nil for none
	http    *http.Server
	ctx     context.Context // ends when the server closes; background work watches it
	stop    context.CancelFunc
	done    chan struct{}  // closed when Serve returns
	jobs    sync.WaitGroup // the job runner, waited for before the store closes

	mu      sync.Mutex // guards serving and closed, so Close and Serve may race
	serving bool
	closed  bool
}

// RootCredentialsFile is where a generated root key is written, inside the data directory.
const RootCredentialsFile = "root-credentials"

// RootCredentials is the text of the root-credentials file: shell export lines, so that
// `. sluice-data/root-credentials` sets the variables the client commands and SDK scripts read, and
// `sluice configure --credentials-file` can read it into a profile.
func RootCredentials(id, secret string) string {
	return fmt.Sprintf("export %s=%s\nexport %s=%s\n", envvar.AccessKeyID, id, envvar.AccessKeySecret, secret)
}

// New opens the store, prepares the core and bootstraps the root user. It does not listen yet.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(api.LogHandler{Handler: slog.NewTextHandler(os.Stderr, nil)})
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	blobs, sources, err := openBytes(ctx, cfg)
	if err != nil {
		return nil, err
	}
	box, err := masterKey(cfg, log)
	if err != nil {
		blobs.Close()
		return nil, err
	}
	db, err := sqlstore.Open(ctx, cfg.databaseURL())
	if err != nil {
		blobs.Close()
		return nil, err
	}
	s := &Server{Config: cfg, DB: db, Log: log, Core: core.New(db, box), Blobs: blobs, Sources: sources, done: make(chan struct{})}
	fail := func(err error) (*Server, error) {
		db.Close()
		blobs.Close()
		return nil, err
	}
	s.Core.Blobs, s.Core.Sources = blobs, sources
	if s.Core.Modules, err = ParseModules(cfg.Modules); err != nil {
		return fail(err)
	}
	if cfg.OpenLineageURL != "" {
		s.Core.Lineage = &openlineage.Client{URL: cfg.OpenLineageURL, Token: cfg.OpenLineageToken}
		s.Core.LineageNamespace = cfg.OpenLineageNamespace
	}
	if cfg.JobLease > 0 {
		s.Core.JobLease = cfg.JobLease
	}
	if db.Dialect() == sqlstore.SQLite {
		// A SQLite database has one server: the leases it finds are its dead predecessor's, whose jobs
		// (uploads it was copying) can resume now rather than when those leases run out.
		if n, err := db.ReleaseJobLeases(ctx); err != nil {
			return fail(err)
		} else if n > 0 {
			log.Info("resuming jobs left by the last run", "jobs", n)
		}
	}
	if err := s.Core.CheckMasterKey(ctx); err != nil {
		return fail(err)
	}
	if s.GeneratedRootKey, err = s.Core.Bootstrap(ctx, cfg.RootAccessKeyID, cfg.RootAccessKeySecret); err != nil {
		return fail(err)
	}
	if k := s.GeneratedRootKey; k != nil {
		path := filepath.Join(cfg.DataDir, RootCredentialsFile)
		if err := os.WriteFile(path, []byte(RootCredentials(k.ID, k.Secret)), 0o600); err != nil {
			return fail(fmt.Errorf("write root credentials: %w", err))
		}
	}
	s.Auth = alibaba.NewAuthenticator(s.Core, db)
	if s.limits, err = api.ParseRateLimits(cfg.RateLimits); err != nil {
		return fail(err)
	}
	s.Auth.RPC.Limits, s.Auth.ROA.Limits, s.Auth.Stream.Limits = s.limits, s.limits, s.limits
	s.handler = s.routes()
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if s.http.TLSConfig, err = cfg.tlsConfig(); err != nil {
		s.stop()
		return fail(err)
	}
	return s, nil
}

// masterKey loads the key that seals access-key secrets: from the configuration, or from (created on
// first start) DataDir/master.key.
func masterKey(cfg Config, log *slog.Logger) (*seal.Box, error) {
	var key []byte
	var err error
	if cfg.MasterKey != "" {
		key, err = seal.ParseKey(cfg.MasterKey)
	} else {
		var created bool
		path := filepath.Join(cfg.DataDir, "master.key")
		key, created, err = seal.LoadOrCreateKeyFile(path)
		if created {
			log.Info("created a master key; keep it with the database, every replica needs the same one", "path", path)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return seal.New(key)
}

// openBytes opens the blob store and proves it takes writes (a misconfigured store stops the server here,
// not at the first upload), and prepares the source policy.
func openBytes(ctx context.Context, cfg Config) (sluice.BlobStore, sluice.SourceOpener, error) {
	blobs, err := blob.Open(ctx, cfg.blobURL())
	if err != nil {
		return nil, nil, err
	}
	if err := blob.Probe(ctx, blobs); err != nil {
		blobs.Close()
		return nil, nil, fmt.Errorf("blob store %s: %w", blob.Redact(cfg.blobURL()), err)
	}
	sources, err := source.New(ctx, source.Policy{S3: cfg.ImportS3, AllowHosts: cfg.FetchAllowHosts,
		AllowPrivateHosts: cfg.FetchAllowPrivate, ImportRoots: cfg.ImportRoots})
	if err != nil {
		blobs.Close()
		return nil, nil, err
	}
	return blobs, sources, nil
}

func (s *Server) routes() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := api.NewMetrics(reg)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.DB.Ping(ctx); err != nil {
			api.InfoFromContext(r.Context()).Err = err
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database unreachable\n"))
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/sluice/v1/", native.New(native.Services{Identity: s.Core, Projects: s.Core, Lineage: s.Core, Resources: s.Core, Catalog: s.Core, Sessions: s.Core}, s.Auth))
	web := console.New(console.Services{Sessions: s.Core, Identity: s.Core, Projects: s.Core, Files: s.Core,
		Lineage: s.Core, Resources: s.Core, Catalog: s.Core})
	mux.Handle("/console", web)
	mux.Handle("/console/", web)
	mux.Handle("/api/v1/", roa.New(roa.Services{Projects: s.Core, Catalog: s.Core, Resources: s.Core}, s.Auth))
	dliAuth := huaweiauth.NewAuthenticator(s.Core, s.DB)
	dliAuth.Limits = s.limits // one set of buckets for all faces: a key's limit is the same whichever SDK calls
	dliFace := dli.New(s.Core, dliAuth)
	mux.Handle("/v2.0/", dliFace)
	mux.Handle("/v3/", dliFace)
	mux.Handle("/", rpc.New(rpc.Services{Projects: s.Core, Files: s.Core, Lineage: s.Core, Catalog: s.Core}, s.Auth))
	return api.Middleware(mux, s.Log, metrics)
}

// TLS reports whether the server serves HTTPS.
func (s *Server) TLS() bool { return s.http.TLSConfig != nil }

// Handler is the server's HTTP handler, for embedding in another server or in tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln until Close, and keeps the database tidy in the background meanwhile (see maintain).
// Serving a closed server returns at once.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed || s.serving {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.serving = true
	s.mu.Unlock()
	defer close(s.done)
	go s.maintain(s.ctx)
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		s.Core.RunJobs(s.ctx, time.Second)
	}()
	serve := s.http.Serve
	if s.http.TLSConfig != nil {
		serve = func(ln net.Listener) error { return s.http.ServeTLS(ln, "", "") }
	}
	if err := serve(ln); !errors.Is(err, http.ErrServerClosed) {
		s.stop()
		return err
	}
	return nil
}

// maintain forgets expired nonces, ended console sessions and old failed sign-ins every minute, and every hour refreshes the planner's statistics and
// sweeps resource bytes no resource holds (what a crash between removing a resource and its bytes leaves).
// Every replica does it; all are idempotent.
func (s *Server) maintain(ctx context.Context) {
	purge, optimize := time.NewTicker(time.Minute), time.NewTicker(time.Hour)
	defer purge.Stop()
	defer optimize.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-purge.C:
			if n, err := s.DB.PurgeNonces(ctx, time.Now()); err != nil && ctx.Err() == nil {
				s.Log.Warn("purge nonces", "error", err)
			} else if n > 0 {
				s.Log.Debug("purged nonces", "count", n)
			}
			if n, err := s.Core.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("purge console sessions", "error", err)
			} else if n > 0 {
				s.Log.Debug("purged console sessions", "count", n)
			}
		case <-optimize.C:
			if err := s.DB.Optimize(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("optimize database statistics", "error", err)
			}
			// An hour's grace: bytes just written, whose resource is being recorded, are never taken.
			if orphans, err := s.Core.SweepBlobs(ctx, time.Hour, true); err != nil && ctx.Err() == nil {
				s.Log.Warn("sweep resource bytes", "error", err)
			} else if len(orphans) > 0 {
				s.Log.Warn("removed resource bytes no resource held", "count", len(orphans))
			}
		}
	}
}

// Close stops accepting requests, lets those in flight finish (up to the shutdown timeout) and closes
// the store.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	serving := s.serving
	s.mu.Unlock()
	timeout := s.Config.ShutdownTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	err := s.http.Shutdown(ctx)
	cancel()
	s.stop()
	if serving {
		<-s.done
	}
	s.jobs.Wait()
	if cerr := s.DB.Close(); err == nil {
		err = cerr
	}
	if s.Blobs != nil {
		if cerr := s.Blobs.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
