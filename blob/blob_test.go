package blob_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/blob"
	_ "github.com/sluice-dev/sluice/blob/fileblob"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"s3://b/p?endpoint=http://h:1&secret_access_key=abc%2Fdef&region=r": "s3://b/p?endpoint=http://h:1&secret_access_key=REDACTED&region=r",
		"s3://b?secret_access_key=x&session_token=tok":                      "s3://b?secret_access_key=REDACTED&session_token=REDACTED",
		"s3://b?access_key_id=AK":                                           "s3://b?access_key_id=AK",
		"file:///var/lib/sluice/blobs":                                      "file:///var/lib/sluice/blobs",
		"https://user:pass@host/x":                                          "https://user:xxxxx@host/x",
	} {
		if got := blob.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpen_ErrUnknownScheme(t *testing.T) {
	_, err := blob.Open(context.Background(), "gs://bucket?secret_access_key=hidden")
	if err == nil || !strings.Contains(err.Error(), `unknown scheme "gs"`) || strings.Contains(err.Error(), "hidden") {
		t.Fatalf("Open(gs://...): %v", err)
	}
}
