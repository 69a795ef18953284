package source_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
	"github.com/sluice-dev/sluice/blob/blobtest"
	"github.com/sluice-dev/sluice/source"

	_ "github.com/sluice-dev/sluice/blob/s3blob"
)

var ctx = context.Background()

func mustNew(t *testing.T, p source.Policy) *source.Opener {
	t.Helper()
	o, err := source.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// mustRead opens src and returns its bytes, checking the size the opener announced when it knew one.
func mustRead(t *testing.T, o sluice.SourceOpener, src string) ([]byte, int64) {
	t.Helper()
	rc, size, err := o.OpenSource(ctx, src)
	if err != nil {
		t.Fatalf("OpenSource(%q): %v", src, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if size >= 0 && size != int64(len(b)) {
		t.Fatalf("OpenSource(%q) announced %d bytes, read %d", src, size, len(b))
	}
	return b, size
}

// refused checks that src fails with code and a message containing want.
func refused(t *testing.T, o sluice.SourceOpener, src, code, want string) {
	t.Helper()
	rc, _, err := o.OpenSource(ctx, src)
	if err == nil {
		rc.Close()
		t.Fatalf("OpenSource(%q) succeeded, want %s", src, code)
	}
	if sluice.ErrorCode(err) != code || !strings.Contains(sluice.ErrorMessage(err), want) {
		t.Fatalf("OpenSource(%q): %v; want code %s and a message with %q", src, err, code, want)
	}
}

func TestOpener_File(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "imports")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{root, filepath.Join(root, "sub"), outside} {
		os.MkdirAll(d, 0o755)
	}
	write := func(path, body string) {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "app.jar"), "jar bytes")
	write(filepath.Join(root, "sub", "my model #1.bin"), "model")
	write(filepath.Join(outside, "secret"), "secret")
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "escape"))
	os.Symlink(outside, filepath.Join(root, "escapedir"))
	os.Symlink(filepath.Join(root, "app.jar"), filepath.Join(root, "sub", "inside-link"))
	linkedRoot := filepath.Join(base, "linked-imports")
	os.Symlink(root, linkedRoot)
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := mustNew(t, source.Policy{ImportRoots: []string{linkedRoot}})
	fileURL := func(p string) string { return (&url.URL{Scheme: "file", Path: p}).String() }

	t.Run("OK", func(t *testing.T) {
		b, size := mustRead(t, o, "file://"+filepath.Join(root, "app.jar"))
		if string(b) != "jar bytes" || size != 9 {
			t.Fatalf("read %q, size %d", b, size)
		}
		// Through the configured (symlinked) root's own path, and with an escaped name.
		if b, _ := mustRead(t, o, fileURL(filepath.Join(linkedRoot, "sub", "my model #1.bin"))); string(b) != "model" {
			t.Fatalf("read %q", b)
		}
		if b, _ := mustRead(t, o, "file://localhost"+filepath.Join(root, "sub", "inside-link")); string(b) != "jar bytes" {
			t.Fatalf("a symlink within the root: read %q", b)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		refused(t, o, "file://"+filepath.Join(root, "missing.jar"), sluice.ENOTFOUND, "no such file")
	})
	t.Run("ErrOutsideRoot", func(t *testing.T) {
		refused(t, o, "file://"+filepath.Join(outside, "secret"), sluice.EINVALID, "not inside a directory")
		refused(t, o, "file:///etc/passwd", sluice.EINVALID, "not inside a directory")
		// A missing file outside the roots is refused, not reported missing: nothing is revealed.
		refused(t, o, "file:///no/such/file", sluice.EINVALID, "not inside a directory")
	})
	t.Run("ErrPathTraversal", func(t *testing.T) {
		refused(t, o, "file://"+root+"/../outside/secret", sluice.EINVALID, `".." is not allowed`)
		refused(t, o, "file://"+root+"/sub/%2e%2e/%2e%2e/outside/secret", sluice.EINVALID, `".." is not allowed`)
	})
	t.Run("ErrSymlinkEscape", func(t *testing.T) {
		refused(t, o, "file://"+filepath.Join(root, "escape"), sluice.EINVALID, "symbolic link leads outside")
		refused(t, o, "file://"+filepath.Join(root, "escapedir", "secret"), sluice.EINVALID, "symbolic link leads outside")
	})
	t.Run("ErrNotRegular", func(t *testing.T) {
		refused(t, o, "file://"+filepath.Join(root, "sub"), sluice.EINVALID, "not a regular file")
		done := make(chan struct{})
		go func() {
			defer close(done)
			refused(t, o, "file://"+filepath.Join(root, "fifo"), sluice.EINVALID, "not a regular file")
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("opening a FIFO blocked")
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		refused(t, o, "file://otherhost"+filepath.Join(root, "app.jar"), sluice.EINVALID, "path on this server")
		refused(t, o, "file:relative/app.jar", sluice.EINVALID, "want obs://")
		refused(t, o, "file://"+filepath.Join(root, "app.jar")+"?x=1", sluice.EINVALID, "file:///absolute/path")
	})
	t.Run("ErrNoRoots", func(t *testing.T) {
		refused(t, mustNew(t, source.Policy{}), "file://"+filepath.Join(root, "app.jar"), sluice.EINVALID, "not inside a directory")
	})
	t.Run("ErrMissingRoot", func(t *testing.T) {
		if _, err := source.New(ctx, source.Policy{ImportRoots: []string{filepath.Join(base, "nope")}}); err == nil {
			t.Fatal("a missing import root was accepted")
		}
	})
}

func TestOpener_HTTP(t *testing.T) {
	gz := func() []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte("compressed on the wire"))
		w.Close()
		return b.Bytes()
	}()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("from the other host"))
	}))
	defer other.Close()
	otherURL, _ := url.Parse(other.URL)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app.jar":
			w.Write([]byte("jar bytes"))
		case "/chunked":
			w.Write([]byte("part one, "))
			w.(http.Flusher).Flush()
			w.Write([]byte("part two"))
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz)
		case "/moved":
			http.Redirect(w, r, "/app.jar", http.StatusFound)
		case "/elsewhere":
			// The same server under another name: a different host, though allowed and reachable.
			http.Redirect(w, r, "http://localhost:"+otherURL.Port()+"/x", http.StatusFound)
		case "/error":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://") // 127.0.0.1:port
	o := mustNew(t, source.Policy{AllowPrivateHosts: []string{host, "localhost"}})

	t.Run("OK", func(t *testing.T) {
		b, size := mustRead(t, o, srv.URL+"/app.jar")
		if string(b) != "jar bytes" || size != 9 {
			t.Fatalf("read %q size %d", b, size)
		}
	})
	t.Run("UnknownSize", func(t *testing.T) {
		b, size := mustRead(t, o, srv.URL+"/chunked")
		if string(b) != "part one, part two" || size != -1 {
			t.Fatalf("read %q size %d, want size -1", b, size)
		}
	})
	t.Run("BytesKeptAsServed", func(t *testing.T) {
		if b, _ := mustRead(t, o, srv.URL+"/gzip"); !bytes.Equal(b, gz) {
			t.Fatalf("read %q, want the gzip bytes as served", b)
		}
	})
	t.Run("RedirectSameHost", func(t *testing.T) {
		if b, _ := mustRead(t, o, srv.URL+"/moved"); string(b) != "jar bytes" {
			t.Fatalf("read %q", b)
		}
	})
	t.Run("ErrRedirectOtherHost", func(t *testing.T) {
		refused(t, o, srv.URL+"/elsewhere", sluice.EINVALID, "redirects to another host")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		refused(t, o, srv.URL+"/missing.jar", sluice.ENOTFOUND, "not found (HTTP 404)")
	})
	t.Run("ErrServerError", func(t *testing.T) {
		refused(t, o, srv.URL+"/error", sluice.EINVALID, "HTTP 500")
	})
	t.Run("ErrHostNotAllowed", func(t *testing.T) {
		refused(t, mustNew(t, source.Policy{AllowHosts: []string{"files.example.com"}}), srv.URL+"/app.jar", sluice.EINVALID, "not one the server may fetch from")
		// The port is part of an entry that names one.
		refused(t, mustNew(t, source.Policy{AllowPrivateHosts: []string{"127.0.0.1:1"}}), srv.URL+"/app.jar", sluice.EINVALID, "not one the server may fetch from")
	})
	t.Run("ErrPrivateAddress", func(t *testing.T) {
		// Allowed as a host, but its address is loopback and it is not allowed to be private.
		refused(t, mustNew(t, source.Policy{AllowHosts: []string{host}}), srv.URL+"/app.jar", sluice.EINVALID, "private, loopback or link-local")
		// A name is judged by the address it resolves to, not by how it looks.
		refused(t, mustNew(t, source.Policy{AllowHosts: []string{"localhost"}}), "http://localhost:"+strings.Split(host, ":")[1]+"/app.jar",
			sluice.EINVALID, "private, loopback or link-local")
		// Link-local, on the loopback interface so that nothing leaves the machine even if the check broke.
		refused(t, mustNew(t, source.Policy{AllowHosts: []string{"fe80::1%lo"}}), "http://[fe80::1%25lo]:"+strings.Split(host, ":")[1]+"/",
			sluice.EINVALID, "private, loopback or link-local")
	})
	t.Run("ErrScheme", func(t *testing.T) {
		refused(t, o, "ftp://"+host+"/app.jar", sluice.EINVALID, "not supported")
		refused(t, o, "gopher://"+host+"/", sluice.EINVALID, "not supported")
		refused(t, o, "/just/a/path", sluice.EINVALID, "want obs://")
	})
	t.Run("ErrBadHostEntry", func(t *testing.T) {
		for _, e := range []string{"http://files.example.com", "files.example.com/path", "*"} {
			if _, err := source.New(ctx, source.Policy{AllowHosts: []string{e}}); err == nil {
				t.Errorf("host entry %q accepted", e)
			}
		}
	})
}

func TestOpener_HostWildcard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	port := strings.Split(srv.URL, ":")[2]
	// "*.localhost" covers sub.localhost (which resolves to loopback on this machine) but not localhost.
	o := mustNew(t, source.Policy{AllowPrivateHosts: []string{"*.localhost"}})
	refused(t, o, "http://localhost:"+port+"/", sluice.EINVALID, "not one the server may fetch from")
	rc, _, err := o.OpenSource(ctx, "http://sub.localhost:"+port+"/")
	if sluice.ErrorCode(err) == sluice.EINVALID && strings.Contains(sluice.ErrorMessage(err), "not one the server") {
		t.Fatalf("sub.localhost is not matched by *.localhost: %v", err)
	}
	if err == nil {
		rc.Close()
	}
}

func TestOpener_S3(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	u := blobtest.S3URL(t)
	store, err := blob.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Put(ctx, "spark app.jar", strings.NewReader("jar bytes"), 9); err != nil {
		t.Fatal(err)
	}
	prefix := strings.Trim(u.Path, "/")
	object := u.Host + "/" + prefix + "/spark app.jar"
	o := mustNew(t, source.Policy{S3: u.RawQuery})

	t.Run("OK", func(t *testing.T) {
		for _, scheme := range []string{"obs", "s3"} {
			b, size := mustRead(t, o, scheme+"://"+object)
			if string(b) != "jar bytes" || size != 9 {
				t.Fatalf("%s: read %q size %d", scheme, b, size)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		refused(t, o, "obs://"+u.Host+"/"+prefix+"/missing.jar", sluice.ENOTFOUND, "no such object")
		refused(t, o, "obs://no-such-bucket-here/x.jar", sluice.ENOTFOUND, "no such object")
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		refused(t, o, "obs://"+u.Host, sluice.EINVALID, "naming an object")
		refused(t, o, "obs://"+u.Host+"/dir/", sluice.EINVALID, "naming an object")
	})
	t.Run("ErrBucketNotAllowed", func(t *testing.T) {
		q := u.Query()
		q.Set("buckets", "another-bucket")
		refused(t, mustNew(t, source.Policy{S3: q.Encode()}), "obs://"+object, sluice.EINVALID, "not one the server may read")
	})
	t.Run("ErrNoStore", func(t *testing.T) {
		refused(t, mustNew(t, source.Policy{}), "obs://"+object, sluice.EINVALID, "reads no object store")
	})
	t.Run("ErrBadOptions", func(t *testing.T) {
		if _, err := source.New(ctx, source.Policy{S3: "endpiont=http://x"}); err == nil {
			t.Fatal("an unknown S3 option was accepted")
		}
	})
}
