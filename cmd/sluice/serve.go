package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/server"
)

func newServeCommand() *cobra.Command {
	cfg := server.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a Sluice server",
		Long: "Run a Sluice server. With no flags it keeps everything in ./sluice-data (SQLite and a blob directory)\n" +
			"and listens on 127.0.0.1:8080. Every flag has an environment variable; flags win.\n\nEnvironment:\n" + envHelp(),
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			// The environment fills what no flag set.
			env := cfg
			if err := env.FromEnv(); err != nil {
				return err
			}
			f := cmd.Flags()
			keep := func(name string, dst *string, v string) {
				if !f.Changed(name) {
					*dst = v
				}
			}
			keep("listen", &cfg.Listen, env.Listen)
			keep("data-dir", &cfg.DataDir, env.DataDir)
			keep("database", &cfg.Database, env.Database)
			keep("blob", &cfg.Blob, env.Blob)
			keep("import-s3", &cfg.ImportS3, env.ImportS3)
			keep("log-level", &cfg.LogLevel, env.LogLevel)
			keep("log-format", &cfg.LogFormat, env.LogFormat)
			if !f.Changed("import-root") {
				cfg.ImportRoots = env.ImportRoots
			}
			if !f.Changed("fetch-allow-host") {
				cfg.FetchAllowHosts = env.FetchAllowHosts
			}
			if !f.Changed("fetch-allow-private") {
				cfg.FetchAllowPrivate = env.FetchAllowPrivate
			}
			if !f.Changed("shutdown-timeout") {
				cfg.ShutdownTimeout = env.ShutdownTimeout
			}
			if !f.Changed("module") {
				cfg.Modules = env.Modules
			}
			if !f.Changed("rate-limit") {
				cfg.RateLimits = env.RateLimits
			}
			keep("tls-cert", &cfg.TLSCert, env.TLSCert)
			keep("tls-key", &cfg.TLSKey, env.TLSKey)
			if !f.Changed("tls-self-signed") {
				cfg.TLSSelfSigned = env.TLSSelfSigned
			}
			keep("openlineage-url", &cfg.OpenLineageURL, env.OpenLineageURL)
			keep("openlineage-namespace", &cfg.OpenLineageNamespace, env.OpenLineageNamespace)
			cfg.JobLease, cfg.OpenLineageToken = env.JobLease, env.OpenLineageToken
			cfg.MasterKey, cfg.RootAccessKeyID, cfg.RootAccessKeySecret = env.MasterKey, env.RootAccessKeyID, env.RootAccessKeySecret
			return cfg.Validate()
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := newLogger(cfg.LogLevel, cfg.LogFormat)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			srv, err := server.New(ctx, cfg, log)
			if err != nil {
				return err
			}
			if k := srv.GeneratedRootKey; k != nil {
				path := filepath.Join(cfg.DataDir, server.RootCredentialsFile)
				fmt.Fprintf(cmd.OutOrStdout(), "Created the root user's access key. It is shown once and kept in %s:\n\n%s\n"+
					"Use it with: sluice configure --credentials-file %s   (or, for scripts and SDKs: . %s)\n\n",
					path, server.RootCredentials(k.ID, k.Secret), path, path)
			}
			ln, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				srv.Close()
				return err
			}
			scheme := "http"
			if srv.TLS() {
				scheme = "https"
			}
			log.Info("serving", "url", scheme+"://"+ln.Addr().String(), "database", srv.DB.Dialect(), "data_dir", cfg.DataDir)
			if cfg.TLSSelfSigned {
				ca := filepath.Join(cfg.DataDir, server.TLSDir, server.TLSCAFile)
				fmt.Fprintf(cmd.OutOrStdout(), "Serving HTTPS with a certificate from a local CA. Trust it with: export SSL_CERT_FILE=%s\n"+
					"(or see docs/security.md for curl, Node.js, Python, Java and the system's store)\n", ca)
			}
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				srv.Close()
				return err
			case <-ctx.Done():
				log.Info("shutting down")
				return srv.Close()
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to serve on ("+envvar.Listen+")")
	f.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for local state ("+envvar.DataDir+")")
	f.StringVar(&cfg.Database, "database", "", "postgres://... URL; default SQLite in the data dir ("+envvar.Database+")")
	f.StringVar(&cfg.Blob, "blob", "", "blob store URL, file:///dir or s3://bucket/prefix?endpoint=URL&region=R&use_path_style=true...; default DATA_DIR/blobs ("+envvar.Blob+")")
	f.StringArrayVar(&cfg.ImportRoots, "import-root", nil, "directory the server may import files from; repeatable ("+envvar.ImportRoot+")")
	f.StringVar(&cfg.ImportS3, "import-s3", "", "S3-compatible store obs:// and s3:// sources are read from: endpoint=URL&region=R&use_path_style=true&buckets=a,b ("+envvar.ImportS3+")")
	f.StringSliceVar(&cfg.FetchAllowHosts, "fetch-allow-host", nil, "web host (host, host:port, *.domain) http(s) sources may name, public addresses only; repeatable ("+envvar.FetchAllowHost+")")
	f.StringArrayVar(&cfg.Modules, "module", server.DefaultModules, "built-in resource group NAME=KIND[:RESOURCE,...]; repeatable, replaces the defaults ("+envvar.Modules+")")
	f.StringSliceVar(&cfg.FetchAllowPrivate, "fetch-allow-private", nil, "web host that may also be at a private, loopback or link-local address; repeatable ("+envvar.FetchAllowPrivate+")")
	f.StringArrayVar(&cfg.RateLimits, "rate-limit", nil, "request limit KEY:API=RATE/UNIT[:BURST] per access key (or *) and API (or *), e.g. *:*=20/s:40; repeatable; per replica ("+envvar.RateLimits+")")
	f.StringVar(&cfg.OpenLineageURL, "openlineage-url", "", "OpenLineage endpoint each committed version's event is sent to ("+envvar.OpenLineageURL+")")
	f.StringVar(&cfg.OpenLineageNamespace, "openlineage-namespace", "", "OpenLineage job namespace, default sluice ("+envvar.OpenLineageNamespace+")")
	f.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate (with chain) to serve HTTPS with; read again when it changes ("+envvar.TLSCert+")")
	f.StringVar(&cfg.TLSKey, "tls-key", "", "its PEM private key ("+envvar.TLSKey+")")
	f.BoolVar(&cfg.TLSSelfSigned, "tls-self-signed", false, "serve HTTPS with a certificate from a local CA kept in DATA_DIR/tls ("+envvar.TLSSelfSigned+")")
	f.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error ("+envvar.LogLevel+")")
	f.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "text or json ("+envvar.LogFormat+")")
	f.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "time to let requests finish on shutdown ("+envvar.ShutdownTimeout+")")
	return cmd
}

func envHelp() string {
	var b strings.Builder
	for _, e := range server.Env {
		fmt.Fprintf(&b, "  %-31s %s\n", e[0], e[1])
	}
	return b.String()
}

func newLogger(level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if format == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	return slog.New(api.LogHandler{Handler: h}), nil
}
