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
	"strings"
	"time"
)

// Config is the whole configuration of a server. Every field has a SLUICE_... environment variable
// (the env tag); flags override the environment, which overrides the defaults.
type Config struct {
	Listen      string   `env:"SLUICE_LISTEN"`      // address to serve on
	DataDir     string   `env:"SLUICE_DATA_DIR"`    // local state: SQLite database, blobs, master key, root credentials
	Database    string   `env:"SLUICE_DATABASE"`    // postgres://... ; empty: SQLite file DataDir/sluice.db
	Blob        string   `env:"SLUICE_BLOB"`        // file:///dir or s3://bucket/prefix; empty: file://DataDir/blobs
	ImportRoots []string `env:"SLUICE_IMPORT_ROOT"` // local directories the server may import files from (list separated by the OS path-list separator)

	MasterKey           string `env:"SLUICE_MASTER_KEY"`             // 64 hex digits or base64 of 32 bytes; empty: DataDir/master.key, created on first start
	RootAccessKeyID     string `env:"SLUICE_ROOT_ACCESS_KEY_ID"`     // root access key to create on first start; empty: generate one
	RootAccessKeySecret string `env:"SLUICE_ROOT_ACCESS_KEY_SECRET"` // its secret

	LogLevel        string        `env:"SLUICE_LOG_LEVEL"`        // debug, info, warn, error
	LogFormat       string        `env:"SLUICE_LOG_FORMAT"`       // text or json
	ShutdownTimeout time.Duration `env:"SLUICE_SHUTDOWN_TIMEOUT"` // how long to let requests finish on shutdown
}

// DefaultConfig runs with zero setup: SQLite and a blob directory inside ./sluice-data, on 127.0.0.1:8080.
func DefaultConfig() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		DataDir:         "./sluice-data",
		LogLevel:        "info",
		LogFormat:       "text",
		ShutdownTimeout: 15 * time.Second,
	}
}

// Env lists every environment variable a Config reads, with its meaning, for help texts and docs.
var Env = [][2]string{
	{"SLUICE_LISTEN", "address to serve on (default 127.0.0.1:8080)"},
	{"SLUICE_DATA_DIR", "directory for local state (default ./sluice-data)"},
	{"SLUICE_DATABASE", "postgres://... URL; default: SQLite file DATA_DIR/sluice.db"},
	{"SLUICE_BLOB", "blob store URL, file:///dir or s3://bucket/prefix; default file://DATA_DIR/blobs"},
	{"SLUICE_IMPORT_ROOT", "directories the server may import files from, separated by the OS path-list separator (':' on Unix)"},
	{"SLUICE_MASTER_KEY", "master key sealing access-key secrets (64 hex digits); default DATA_DIR/master.key"},
	{"SLUICE_ROOT_ACCESS_KEY_ID", "root access key id to create on first start (default: generated)"},
	{"SLUICE_ROOT_ACCESS_KEY_SECRET", "its secret"},
	{"SLUICE_LOG_LEVEL", "debug, info, warn or error (default info)"},
	{"SLUICE_LOG_FORMAT", "text or json (default text)"},
	{"SLUICE_SHUTDOWN_TIMEOUT", "time to let requests finish on shutdown (default 15s)"},
	{"SLUICE_SQLITE_SYNC", "full: fsync every SQLite commit (default normal: survives a process crash, not a power loss)"},
}

// FromEnv overlays the SLUICE_... environment variables on c.
func (c *Config) FromEnv() error {
	str := map[string]*string{
		"SLUICE_LISTEN": &c.Listen, "SLUICE_DATA_DIR": &c.DataDir, "SLUICE_DATABASE": &c.Database, "SLUICE_BLOB": &c.Blob,
		"SLUICE_MASTER_KEY": &c.MasterKey, "SLUICE_ROOT_ACCESS_KEY_ID": &c.RootAccessKeyID,
		"SLUICE_ROOT_ACCESS_KEY_SECRET": &c.RootAccessKeySecret, "SLUICE_LOG_LEVEL": &c.LogLevel, "SLUICE_LOG_FORMAT": &c.LogFormat,
	}
	for name, p := range str {
		if v, ok := os.LookupEnv(name); ok {
			*p = v
		}
	}
	if v, ok := os.LookupEnv("SLUICE_IMPORT_ROOT"); ok && v != "" {
		c.ImportRoots = filepath.SplitList(v)
	}
	if v, ok := os.LookupEnv("SLUICE_SHUTDOWN_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("SLUICE_SHUTDOWN_TIMEOUT: %w", err)
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
			return fmt.Errorf("blob store %q: use file:///dir or s3://bucket/prefix", c.Blob)
		}
	}
	for _, root := range c.ImportRoots {
		fi, err := os.Stat(root)
		if err != nil || !fi.IsDir() {
			return fmt.Errorf("import root %q is not a directory", root)
		}
	}
	if (c.RootAccessKeyID == "") != (c.RootAccessKeySecret == "") {
		return errors.New("set both SLUICE_ROOT_ACCESS_KEY_ID and SLUICE_ROOT_ACCESS_KEY_SECRET, or neither")
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
	return "file://" + abs
}
