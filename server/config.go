// Package server assembles a complete Sluice server — store, core, the three protocol faces, health,
// metrics — from a Config. The sluice binary and the embeddable test server both use it.
package server

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/blob"
	"github.com/sluice-dev/sluice/envvar"
)

// Config is the whole configuration of a server. Every field has a SLUICE_... environment variable (named
// in package envvar, read by FromEnv, listed in Env); flags override the environment, which overrides the
// defaults.
type Config struct {
	Listen      string   // address to serve on
	DataDir     string   // local state: SQLite database, blobs, master key, root credentials
	Database    string   // postgres://... ; empty: SQLite file DataDir/sluice.db
	Blob        string   // file:///dir or s3://bucket/prefix?options (see package blob); empty: file://DataDir/blobs
	ImportRoots []string // local directories the server may import files from (list separated by the OS path-list separator)

	// Where uploads may read from besides import roots (see package source).
	ImportS3          string   // options of the S3-compatible store for obs:// and s3:// sources; empty: refused
	FetchAllowHosts   []string // web hosts http(s) sources may name, at public addresses (comma-separated in the environment)
	FetchAllowPrivate []string // web hosts that may also be at private, loopback or link-local addresses

	MasterKey           string // 64 hex digits or base64 of 32 bytes; empty: DataDir/master.key, created on first start
	RootAccessKeyID     string // root access key to create on first start; empty: generate one
	RootAccessKeySecret string // its secret

	// Modules are the built-in resource groups every project lists, each NAME=KIND[:RESOURCE,...]
	// (semicolon-separated in the environment).
	Modules []string
	// JobLease is how long a server keeps a background job (an upload's copy) without renewing its claim:
	// after it dies, its jobs wait this long for another server. 0: core.DefaultJobLease.
	JobLease time.Duration

	// OpenLineageURL is the endpoint every committed version's OpenLineage event is POSTed to (a Marquez
	// receiver's http://host:5000/api/v1/lineage); empty: none is sent. OpenLineageToken, when set, is sent as
	// a bearer token; OpenLineageNamespace names the jobs' namespace (default "sluice").
	OpenLineageURL       string
	OpenLineageToken     string
	OpenLineageNamespace string

	// HTTPS: TLSCert and TLSKey name a PEM certificate (with its chain) and key, read again when they change;
	// TLSSelfSigned makes a local CA and a certificate for this machine in DataDir/tls instead (see tls.go).
	// Neither: plain HTTP.
	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool

	// RateLimits throttle requests per access key and API, each KEY:API=RATE/UNIT[:BURST] (api.ParseRateLimit;
	// semicolon-separated in the environment); none: no limits. Per replica (docs/operations.md).
	RateLimits []string

	LogLevel        string        // debug, info, warn, error
	LogFormat       string        // text or json
	ShutdownTimeout time.Duration // how long to let requests finish on shutdown
}

// DefaultModules are the built-in groups a DLI user finds listed: the data source connectors of Spark jobs.
var DefaultModules = []string{"sys.datasource.hbase=jar", "sys.datasource.opentsdb=jar", "sys.datasource.rds=jar", "sys.datasource.css=jar"}

// DefaultConfig runs with zero setup: SQLite and a blob directory inside ./sluice-data, on 127.0.0.1:8080.
func DefaultConfig() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		DataDir:         "./sluice-data",
		LogLevel:        "info",
		LogFormat:       "text",
		ShutdownTimeout: 15 * time.Second,
		Modules:         DefaultModules,
	}
}

// Env lists every environment variable a Config reads, with its meaning, for help texts and docs.
var Env = [][2]string{
	{envvar.Listen, "address to serve on (default 127.0.0.1:8080)"},
	{envvar.DataDir, "directory for local state (default ./sluice-data)"},
	{envvar.Database, "postgres://... URL; default: SQLite file DATA_DIR/sluice.db"},
	{envvar.Blob, "blob store URL, file:///dir or s3://bucket/prefix?endpoint=URL&region=R&use_path_style=true...; default file://DATA_DIR/blobs"},
	{envvar.ImportRoot, "directories the server may import files from, separated by the OS path-list separator (':' on Unix)"},
	{envvar.ImportS3, "S3-compatible store for obs:// and s3:// sources: endpoint=URL&region=R&use_path_style=true&buckets=a,b..."},
	{envvar.FetchAllowHost, "comma-separated web hosts (host, host:port, *.domain) http(s) sources may name; public addresses only"},
	{envvar.FetchAllowPrivate, "comma-separated web hosts that may also be at private, loopback or link-local addresses"},
	{envvar.MasterKey, "master key sealing access-key secrets (64 hex digits); default DATA_DIR/master.key"},
	{envvar.RootAccessKeyID, "root access key id to create on first start (default: generated)"},
	{envvar.RootAccessKeySecret, "its secret"},
	{envvar.LogLevel, "debug, info, warn or error (default info)"},
	{envvar.LogFormat, "text or json (default text)"},
	{envvar.ShutdownTimeout, "time to let requests finish on shutdown (default 15s)"},
	{envvar.Modules, "built-in resource groups, NAME=KIND[:RESOURCE,...] separated by ';' (default the sys.datasource.* connectors)"},
	{envvar.JobLease, "how long a background job stays claimed by a server without renewal (default 30s)"},
	{envvar.OpenLineageURL, "OpenLineage endpoint each committed version's event is sent to, e.g. http://marquez:5000/api/v1/lineage (default: none)"},
	{envvar.OpenLineageToken, "bearer token for the OpenLineage endpoint"},
	{envvar.OpenLineageNamespace, "the OpenLineage job namespace (default sluice)"},
	{envvar.TLSCert, "PEM certificate (with chain) to serve HTTPS with; read again when it changes"},
	{envvar.TLSKey, "its PEM private key"},
	{envvar.TLSSelfSigned, "true: serve HTTPS with a certificate from a local CA kept in DATA_DIR/tls (trust DATA_DIR/tls/ca.pem)"},
	{envvar.RateLimits, "request limits per access key and API, KEY:API=RATE/UNIT[:BURST] separated by ';', e.g. *:*=20/s:40 (default: none)"},
	{envvar.SQLiteSync, "full: fsync every SQLite commit (default normal: survives a process crash, not a power loss)"},
}

// FromEnv overlays the SLUICE_... environment variables on c.
func (c *Config) FromEnv() error {
	str := map[string]*string{
		envvar.Listen: &c.Listen, envvar.DataDir: &c.DataDir, envvar.Database: &c.Database, envvar.Blob: &c.Blob, envvar.ImportS3: &c.ImportS3,
		envvar.MasterKey: &c.MasterKey, envvar.RootAccessKeyID: &c.RootAccessKeyID,
		envvar.RootAccessKeySecret: &c.RootAccessKeySecret, envvar.LogLevel: &c.LogLevel, envvar.LogFormat: &c.LogFormat,
		envvar.OpenLineageURL: &c.OpenLineageURL, envvar.OpenLineageToken: &c.OpenLineageToken,
		envvar.OpenLineageNamespace: &c.OpenLineageNamespace, envvar.TLSCert: &c.TLSCert, envvar.TLSKey: &c.TLSKey,
	}
	for name, p := range str {
		if v, ok := os.LookupEnv(name); ok {
			*p = v
		}
	}
	if v, ok := os.LookupEnv(envvar.ImportRoot); ok && v != "" {
		c.ImportRoots = filepath.SplitList(v)
	}
	if v, ok := os.LookupEnv(envvar.FetchAllowHost); ok && v != "" {
		c.FetchAllowHosts = strings.Split(v, ",")
	}
	if v, ok := os.LookupEnv(envvar.FetchAllowPrivate); ok && v != "" {
		c.FetchAllowPrivate = strings.Split(v, ",")
	}
	if v, ok := os.LookupEnv(envvar.Modules); ok {
		c.Modules = nil
		for _, m := range strings.Split(v, ";") {
			if m = strings.TrimSpace(m); m != "" {
				c.Modules = append(c.Modules, m)
			}
		}
	}
	if v, ok := os.LookupEnv(envvar.RateLimits); ok {
		c.RateLimits = nil
		for _, r := range strings.Split(v, ";") {
			if r = strings.TrimSpace(r); r != "" {
				c.RateLimits = append(c.RateLimits, r)
			}
		}
	}
	if v, ok := os.LookupEnv(envvar.TLSSelfSigned); ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s: %w", envvar.TLSSelfSigned, err)
		}
		c.TLSSelfSigned = b
	}
	if v, ok := os.LookupEnv(envvar.JobLease); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%s: %w", envvar.JobLease, err)
		}
		c.JobLease = d
	}
	if v, ok := os.LookupEnv(envvar.ShutdownTimeout); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%s: %w", envvar.ShutdownTimeout, err)
		}
		c.ShutdownTimeout = d
	}
	return nil
}

// Validate checks c.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("listen address %q: %w", c.Listen, err)
	}
	if c.DataDir == "" {
		return errors.New("the data directory must not be empty")
	}
	if c.Database != "" && !strings.HasPrefix(c.Database, "postgres://") && !strings.HasPrefix(c.Database, "postgresql://") &&
		!strings.HasPrefix(c.Database, "sqlite:") && !strings.HasPrefix(c.Database, "file:") {
		return fmt.Errorf("database %q: use postgres://..., sqlite:PATH or leave it empty for SQLite in the data directory", c.Database)
	}
	if c.Blob != "" {
		u, err := url.Parse(c.Blob)
		if err != nil || (u.Scheme != "file" && u.Scheme != "s3") {
			return fmt.Errorf("blob store %q: use file:///dir or s3://bucket/prefix?options", blob.Redact(c.Blob))
		}
	}
	for _, root := range c.ImportRoots {
		fi, err := os.Stat(root)
		if err != nil || !fi.IsDir() {
			return fmt.Errorf("import root %q is not a directory", root)
		}
	}
	if (c.RootAccessKeyID == "") != (c.RootAccessKeySecret == "") {
		return fmt.Errorf("set both %s and %s, or neither", envvar.RootAccessKeyID, envvar.RootAccessKeySecret)
	}
	if _, err := ParseModules(c.Modules); err != nil {
		return err
	}
	if _, err := api.ParseRateLimits(c.RateLimits); err != nil {
		return err
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("set both the TLS certificate and its key, or neither")
	}
	if c.TLSCert != "" && c.TLSSelfSigned {
		return errors.New("use either a TLS certificate of your own or the self-signed one, not both")
	}
	if c.JobLease < 0 {
		return fmt.Errorf("job lease %s: must not be negative", c.JobLease)
	}
	if c.OpenLineageURL != "" {
		if u, err := url.Parse(c.OpenLineageURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("OpenLineage URL %q: use http:// or https://host/path", c.OpenLineageURL)
		}
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		return fmt.Errorf("log format %q: use text or json", c.LogFormat)
	}
	return nil
}

func (c *Config) databaseURL() string {
	if c.Database != "" {
		return c.Database
	}
	return filepath.Join(c.DataDir, "sluice.db")
}

func (c *Config) blobURL() string {
	if c.Blob != "" {
		return c.Blob
	}
	abs, err := filepath.Abs(filepath.Join(c.DataDir, "blobs"))
	if err != nil {
		abs = filepath.Join(c.DataDir, "blobs")
	}
	// Built as a URL, not by concatenation, so that a directory name with "#", "%" or "?" survives parsing.
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// ParseModules reads module declarations, NAME=KIND[:RESOURCE,...].
func ParseModules(specs []string) ([]*sluice.Module, error) {
	var ms []*sluice.Module
	for _, spec := range specs {
		name, rest, ok := strings.Cut(spec, "=")
		kindText, list, _ := strings.Cut(rest, ":")
		kind, kindOK := sluice.ParseResourceKind(kindText)
		if !ok || strings.TrimSpace(name) == "" || !kindOK {
			return nil, fmt.Errorf("module %q: write NAME=KIND[:RESOURCE,...] with KIND jar, pyFile, file or modelFile", spec)
		}
		m := &sluice.Module{Name: strings.TrimSpace(name), Type: kind, Resources: []string{}}
		for _, r := range strings.Split(list, ",") {
			if r = strings.TrimSpace(r); r != "" {
				m.Resources = append(m.Resources, r)
			}
		}
		ms = append(ms, m)
	}
	return ms, nil
}
