package fileblob_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
	"github.com/sluice-dev/sluice/blob/blobtest"
	"github.com/sluice-dev/sluice/blob/fileblob"
)

func TestFileBlob(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) sluice.BlobStore {
		dir := t.TempDir()
		s, err := blob.Open(context.Background(), "file://"+dir)
		if err != nil {
			t.Fatal(err)
		}
		// Whatever the test did, no temporary file may be left behind: a failed Put leaves nothing.
		t.Cleanup(func() {
			filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tmp") {
					t.Errorf("temporary file left behind: %s", path)
				}
				return nil
			})
		})
		return s
	})
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("CreatesDirectory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "blobs")
		s, err := blob.Open(ctx, "file://"+dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Fatalf("directory not created: %v", err)
		}
		if err := blob.Probe(ctx, s); err != nil {
			t.Fatalf("Probe: %v", err)
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, ".sluice-probe")); len(entries) != 0 {
			t.Errorf("the probe left %d files", len(entries))
		}
	})
	t.Run("ErrRelative", func(t *testing.T) {
		if _, err := fileblob.New("relative/dir"); err == nil {
			t.Fatal("a relative directory was accepted")
		}
	})
	t.Run("ErrHost", func(t *testing.T) {
		if _, err := blob.Open(ctx, "file://otherhost/dir"); err == nil {
			t.Fatal("a file URL with a host was accepted")
		}
	})
	t.Run("ErrUnwritable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes into read-only directories")
		}
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		s, err := blob.Open(ctx, "file://"+dir)
		if err != nil {
			return // refused at open: fine too
		}
		defer s.Close()
		if err := blob.Probe(ctx, s); err == nil {
			t.Fatal("Probe succeeded on a read-only directory")
		}
	})
	t.Run("ErrNotADirectory", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, []byte("x"), 0o600)
		if _, err := blob.Open(ctx, "file://"+f); err == nil {
			t.Fatal("a regular file was accepted as the blob directory")
		}
	})
	t.Run("ErrOwnNames", func(t *testing.T) {
		s, err := fileblob.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, key := range []string{"x.attrs", "x.18a3b4c5d6e7f809.tmp"} {
			if _, err := s.Put(ctx, key, strings.NewReader("x"), 1); sluice.ErrorCode(err) != sluice.EINVALID {
				t.Errorf("Put(%q): %v, want invalid", key, err)
			}
		}
	})
}
