package server_test

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob/blobtest"
	"github.com/sluice-dev/sluice/server"
)

func testConfig(t *testing.T) server.Config {
	cfg := server.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	return cfg
}

// TestNew_Blobs: the server opens and probes its blob store at start and hands it out with the sources.
func TestNew_Blobs(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	cfg.DataDir = filepath.Join(cfg.DataDir, "odd #1 100%?")
	imports := t.TempDir()
	os.WriteFile(filepath.Join(imports, "a.jar"), []byte("jar"), 0o600)
	cfg.ImportRoots = []string{imports}
	s, err := server.New(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "blobs")); err != nil {
		t.Fatalf("the default blob directory is not in the data directory: %v", err)
	}
	if _, err := s.Blobs.Put(ctx, "resources/1/x", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	rc, size, err := s.Sources.OpenSource(ctx, "file://"+filepath.Join(imports, "a.jar"))
	if err != nil || size != 3 {
		t.Fatalf("OpenSource: size %d, %v", size, err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "jar" {
		t.Fatalf("read %q", b)
	}
	if _, _, err := s.Sources.OpenSource(ctx, "http://127.0.0.1:1/x"); sluice.ErrorCode(err) != sluice.EINVALID {
		t.Fatalf("an unlisted host: %v", err)
	}
}

// TestNew_ErrBlobStore: a misconfigured store stops the server at start, with a message naming the cause.
func TestNew_ErrBlobStore(t *testing.T) {
	ctx := context.Background()
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o600)
	cases := []struct{ name, blob, want string }{
		{"ErrNotADirectory", "file://" + notDir + "/blobs", "blob store"},
		{"ErrUnwritable", "file:///proc/self", "cannot write a test object"},
		{"ErrUnknownScheme", "gs://bucket", "use file:///dir or s3://"},
	}
	if raw := os.Getenv("SLUICE_TEST_S3_URL"); raw != "" {
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
		for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
			t.Setenv(v, "")
		}
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
		t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
		good := blobtest.S3URL(t)
		with := func(change func(u *url.URL, q url.Values)) string {
			u := *good
			q := u.Query()
			change(&u, q)
			u.RawQuery = q.Encode()
			return u.String()
		}
		cases = append(cases,
			struct{ name, blob, want string }{"S3", good.String(), ""},
			struct{ name, blob, want string }{"ErrNoSuchBucket", with(func(u *url.URL, _ url.Values) { u.Host = "no-such-bucket-here" }), "bucket does not exist"},
			struct{ name, blob, want string }{"ErrWrongCredentials", with(func(_ *url.URL, q url.Values) { q.Set("secret_access_key", "wrong") }), "refused the credentials"},
			struct{ name, blob, want string }{"ErrNoCredentials", with(func(_ *url.URL, q url.Values) { q.Del("access_key_id"); q.Del("secret_access_key") }), "no S3 credentials"},
			struct{ name, blob, want string }{"ErrBadEndpoint", with(func(_ *url.URL, q url.Values) { q.Set("endpoint", "http://127.0.0.1:1") }), "cannot reach the store"},
		)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Blob = tc.blob
			s, err := server.New(ctx, cfg, nil)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				return
			}
			if err == nil {
				s.Close()
				t.Fatalf("the server started with blob store %s", tc.blob)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret_access_key=") && !strings.Contains(err.Error(), "secret_access_key=REDACTED") {
				t.Fatalf("the error shows the secret: %v", err)
			}
			if _, err := os.Stat(filepath.Join(cfg.DataDir, "sluice.db")); err == nil {
				t.Error("the server created its database before finding the blob store unusable")
			}
		})
	}
}

// TestNew_ErrSourcePolicy: a source policy the server cannot keep stops it at start too.
func TestNew_ErrSourcePolicy(t *testing.T) {
	for name, change := range map[string]func(*server.Config){
		"ErrHostEntry":  func(c *server.Config) { c.FetchAllowHosts = []string{"https://files.example.com/"} },
		"ErrS3Option":   func(c *server.Config) { c.ImportS3 = "endpiont=http://127.0.0.1:9000" },
		"ErrImportRoot": func(c *server.Config) { c.ImportRoots = []string{"/no/such/dir"} },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig(t)
			change(&cfg)
			if s, err := server.New(context.Background(), cfg, nil); err == nil {
				s.Close()
				t.Fatal("the server started")
			}
		})
	}
}

func TestConfig_FromEnv(t *testing.T) {
	t.Setenv("SLUICE_FETCH_ALLOW_HOST", "files.example.com,*.cdn.example.net:443")
	t.Setenv("SLUICE_FETCH_ALLOW_PRIVATE", "artifacts.internal")
	t.Setenv("SLUICE_IMPORT_S3", "endpoint=http://127.0.0.1:9000&use_path_style=true")
	cfg := server.DefaultConfig()
	if err := cfg.FromEnv(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.FetchAllowHosts, " ") != "files.example.com *.cdn.example.net:443" ||
		strings.Join(cfg.FetchAllowPrivate, " ") != "artifacts.internal" ||
		cfg.ImportS3 != "endpoint=http://127.0.0.1:9000&use_path_style=true" {
		t.Fatalf("config from the environment: %+v", cfg)
	}
}
