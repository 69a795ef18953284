package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/sluicetest"
	"github.com/sluice-dev/sluice/storetest"
)

// newServer starts an embedded server for one test: on SQLite, or on PostgreSQL (a fresh schema) when
// SLUICE_E2E_DATABASE=postgres; with its resource bytes in a directory, or in the S3-compatible store of
// SLUICE_TEST_S3_URL (under a prefix of its own) when SLUICE_E2E_BLOB=s3. CI runs the end-to-end tests on
// SQLite with the file store and on PostgreSQL with the S3 store.
func newServer(t *testing.T, opts ...sluicetest.Options) *sluicetest.Server {
	t.Helper()
	var o sluicetest.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if os.Getenv("SLUICE_E2E_DATABASE") == "postgres" && o.Database == "" {
		o.Database = storetest.PostgresDSN(t)(t)
	}
	if o.Blob == "" {
		o.Blob = e2eBlob(t)
	}
	return sluicetest.NewServer(t, o)
}

// serveEnv is the environment a `sluice serve` of a test runs with: the database and blob store newServer
// would give an embedded server.
func serveEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	if os.Getenv("SLUICE_E2E_DATABASE") == "postgres" {
		env = append(env, envvar.Database+"="+storetest.PostgresDSN(t)(t))
	}
	if b := e2eBlob(t); b != "" {
		env = append(env, envvar.Blob+"="+b)
	}
	return env
}

// e2eBlob is the blob store URL a test's server uses: "" (the default directory), or with SLUICE_E2E_BLOB=s3
// the store of SLUICE_TEST_S3_URL under a prefix of the test's own.
func e2eBlob(t *testing.T) string {
	t.Helper()
	if os.Getenv("SLUICE_E2E_BLOB") != "s3" {
		return ""
	}
	raw := os.Getenv("SLUICE_TEST_S3_URL")
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		t.Fatalf("SLUICE_E2E_BLOB=s3 needs SLUICE_TEST_S3_URL (s3://bucket?endpoint=...), not %q", raw)
	}
	var b [6]byte
	rand.Read(b[:])
	u.Path = strings.TrimSuffix(u.Path, "/") + "/e2e-" + hex.EncodeToString(b[:])
	return u.String()
}
