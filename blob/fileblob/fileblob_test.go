package fileblob_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	t.Run("RemovesLeftTemporaries", func(t *testing.T) {
		dir := t.TempDir()
		left := filepath.Join(dir, "resources", "1", "u_app.jar.18a3b4c5d6e7f809.tmp")
		kept := filepath.Join(dir, "resources", "1", "u_app.jar")
		os.MkdirAll(filepath.Dir(left), 0o700)
		os.WriteFile(left, []byte("half"), 0o600)
		os.WriteFile(kept, []byte("whole"), 0o600)
		s, err := blob.Open(ctx, "file://"+dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// The leftovers are removed in the background: start-up does not wait for the walk.
		deadline := time.Now().Add(5 * time.Second)
		for _, err := os.Stat(left); !os.IsNotExist(err); _, err = os.Stat(left) {
			if time.Now().After(deadline) {
				t.Fatalf("a temporary file left by a killed write is still there: %v", err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("a blob went with the temporaries: %v", err)
		}
	})
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
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			// Permissions do not stop root; a directory of a read-only file system does.
			dir = "/proc/self"
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
	t.Run("KeysLikeItsOwnFiles", func(t *testing.T) {
		// Names gocloud's fileblob keeps for its metadata and temporary files are stored like any other.
		s, err := fileblob.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ks := []string{"r/x.attrs", "r/x.18a3b4c5d6e7f809.tmp", "r/x~", "r/x.attrs~", "r/x"}
		for _, key := range ks {
			if _, err := s.Put(ctx, key, strings.NewReader(key), int64(len(key))); err != nil {
				t.Fatalf("Put(%q): %v", key, err)
			}
		}
		for _, key := range ks {
			rc, err := s.Open(ctx, key)
			if err != nil {
				t.Fatalf("Open(%q): %v", key, err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if string(b) != key {
				t.Errorf("Open(%q) read %q", key, b)
			}
		}
		var listed []string
		s.List(ctx, "r/", func(i sluice.BlobInfo) error { listed = append(listed, i.Key); return nil })
		slices.Sort(listed)
		want := slices.Clone(ks)
		slices.Sort(want)
		if !slices.Equal(listed, want) {
			t.Errorf("List = %q, want %q", listed, want)
		}
		for _, key := range ks {
			if err := s.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
		}
		listed = nil
		s.List(ctx, "", func(i sluice.BlobInfo) error { listed = append(listed, i.Key); return nil })
		if len(listed) != 0 {
			t.Errorf("after deleting everything List = %q", listed)
		}
	})
}
