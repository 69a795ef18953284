package s3blob_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
	"github.com/sluice-dev/sluice/blob/blobtest"
)

// TestS3Blob runs the conformance suite on a real S3-compatible server (SLUICE_TEST_S3_URL).
func TestS3Blob(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true") // never ask a metadata service for credentials
	base := blobtest.S3URL(t)
	blobtest.Run(t, func(t *testing.T) sluice.BlobStore {
		u := *base
		u.Path += "/" + strings.ReplaceAll(t.Name(), "/", "-")
		s, err := blob.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestProbe(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"} {
		t.Setenv(v, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	ctx := context.Background()
	good := blobtest.S3URL(t)
	with := func(change func(q url.Values)) string {
		u := *good
		q := u.Query()
		change(q)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Run("OK", func(t *testing.T) {
		s, err := blob.Open(ctx, good.String())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := blob.Probe(ctx, s); err != nil {
			t.Fatal(err)
		}
	})
	// Each misconfiguration fails at Open or at Probe, with a message that names what to fix.
	for _, tc := range []struct {
		name, url, want string
	}{
		{"ErrNoSuchBucket", strings.Replace(good.String(), "s3://"+good.Host, "s3://no-such-bucket-here", 1), "bucket does not exist"},
		{"ErrWrongSecret", with(func(q url.Values) { q.Set("secret_access_key", "wrong") }), "refused the credentials"},
		{"ErrNoCredentials", with(func(q url.Values) { q.Del("access_key_id"); q.Del("secret_access_key") }), "no S3 credentials"},
		{"ErrBadEndpoint", with(func(q url.Values) { q.Set("endpoint", "http://127.0.0.1:1") }), "cannot reach the store"},
		{"ErrUnknownOption", with(func(q url.Values) { q.Set("endpiont", "x") }), `unknown option "endpiont"`},
		{"ErrHalfCredentials", with(func(q url.Values) { q.Del("secret_access_key") }), "both access_key_id and secret_access_key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := blob.Open(ctx, tc.url)
			if err == nil {
				defer s.Close()
				err = blob.Probe(ctx, s)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret_access_key="+good.Query().Get("secret_access_key")) {
				t.Errorf("the error shows the secret: %v", err)
			}
			t.Log(err)
		})
	}
}
