package main

import (
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/envvar"
)

// TestServe_ErrBytesConfig: the blob store and source flags reach the server, which refuses to start with
// a store it cannot write or a source policy it cannot keep.
func TestServe_ErrBytesConfig(t *testing.T) {
	base := []string{"serve", "--listen", "127.0.0.1:0"}
	for _, tc := range []struct {
		name string
		args []string
		env  [2]string
		want string
	}{
		{"BlobUnwritable", []string{"--blob", "file:///proc/self"}, [2]string{}, "cannot write a test object"},
		{"BlobUnknownScheme", []string{"--blob", "gs://bucket"}, [2]string{}, "use file:///dir or s3://"},
		{"FetchHostFlag", []string{"--fetch-allow-host", "files.example.com,https://x/"}, [2]string{}, `allowed host "https://x/"`},
		{"FetchPrivateEnv", nil, [2]string{envvar.FetchAllowPrivate, "a/b"}, `allowed host "a/b"`},
		{"ImportS3Flag", []string{"--import-s3", "endpiont=http://127.0.0.1:1"}, [2]string{}, `unknown option "endpiont"`},
		{"ImportS3Env", nil, [2]string{envvar.ImportS3, "use_path_style=maybe"}, "use_path_style"},
		{"RateLimitFlag", []string{"--rate-limit", "*:*=20"}, [2]string{}, `rate limit "*:*=20": rate "20" has no unit`},
		{"RateLimitEnv", nil, [2]string{envvar.RateLimits, "*:*=20/s; LTAIx:ListProjects=fast/s"}, `rate limit "LTAIx:ListProjects=fast/s"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env[0] != "" {
				t.Setenv(tc.env[0], tc.env[1])
			}
			// Static credentials keep the S3 options from looking for any elsewhere.
			t.Setenv("AWS_ACCESS_KEY_ID", "AK")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "SK")
			args := append(append(base, "--data-dir", t.TempDir()), tc.args...)
			_, _, err := execute(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("sluice %s: %v, want an error saying %q", strings.Join(args, " "), err, tc.want)
			}
		})
	}
}
