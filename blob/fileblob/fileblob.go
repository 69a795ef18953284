// Package fileblob keeps blobs as files in a local directory, through gocloud.dev/blob/fileblob, under the
// URL scheme file: file:///var/lib/sluice/blobs. A key's slashes are directories.
//
// A Put writes a temporary file next to its final name, fsyncs it, renames it into place and fsyncs the
// directory: an acknowledged Put survives a crash of the process and of the machine, and a failed or
// interrupted one leaves at most a temporary file that List does not show.
package fileblob

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	gcblob "gocloud.dev/blob"
	gcfileblob "gocloud.dev/blob/fileblob"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
)

// Scheme is the URL scheme this backend registers.
const Scheme = "file"

func init() {
	blob.Register(Scheme, func(ctx context.Context, u *url.URL) (sluice.BlobStore, error) {
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("a file URL names a local directory: file:///abs/dir, not host %q", u.Host)
		}
		if len(u.Query()) > 0 {
			return nil, errors.New("a file URL takes no options")
		}
		return New(u.Path)
	})
}

// tempFile matches the names gocloud's fileblob gives files being written next to their final name:
// "<name>.<nanoseconds in hex>.tmp", the time the write began.
var tempFile = regexp.MustCompile(`\.([0-9a-f]{8,16})\.tmp$`)

// New opens the directory dir (absolute), creating it (0700) if needed.
func New(dir string) (*blob.Bucket, error) {
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("the blob directory %q is not absolute (use file:///abs/dir)", dir)
	}
	b, err := gcfileblob.OpenBucket(dir, &gcfileblob.Options{
		CreateDir:   true,
		DirFileMode: 0o700,
		// Temporary files go next to their final name: same file system, so the rename is atomic and
		// the directory fsync covers it.
		NoTempDir: true,
		// Size and time come from the file itself; the ".attrs" sidecars would be one more file per
		// blob to keep in step.
		Metadata: gcfileblob.MetadataDontWrite,
	})
	if err != nil {
		return nil, fmt.Errorf("blob directory %s: %w", dir, err)
	}
	// Walking a large store takes a while: start-up does not wait for it.
	go removeTemporaries(dir, time.Now())
	return blob.NewBucket(b, blob.Options{
		Escape:   escape,
		Unescape: unescape,
		Hidden:   func(name string) bool { return tempFile.MatchString(name) || strings.HasSuffix(name, ".attrs") },
		PutHooks: func(opts *gcblob.WriterOptions) (func() error, func() error) { return putHooks(dir, opts) },
	}), nil
}

// removeTemporaries removes the temporary files a process killed mid-write left behind: those whose name
// says their write began before opened. A blob directory belongs to one server (it is local), so such a
// file has no writer any more, while this process's own writes, begun since, are left alone (the name's
// nanoseconds, not the file system's coarser times, tell them apart). Without this the leftovers, which
// List hides, would stay for good.
func removeTemporaries(dir string, opened time.Time) {
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil // an unreadable corner is left as it is
		}
		if m := tempFile.FindStringSubmatch(d.Name()); m != nil {
			if began, err := strconv.ParseInt(m[1], 16, 64); err == nil && began < opened.UnixNano() {
				os.Remove(path)
			}
		}
		return nil
	})
}

// escape stores a key that gocloud's fileblob would take for one of its own files (a metadata sidecar
// "*.attrs", which it refuses, or a temporary file, which List hides) under the key with "~" appended;
// keys ending in "~" get one more, so that unescape, which drops one final "~", undoes exactly that.
func escape(key string) string {
	if strings.HasSuffix(key, ".attrs") || tempFile.MatchString(key) || strings.HasSuffix(key, "~") {
		return key + "~"
	}
	return key
}

func unescape(name string) string { return strings.TrimSuffix(name, "~") }

// putHooks fsyncs a Put's data before the rename publishes it, and after it the directories from the
// file's up to the store's root (the writer may have created some of them), so that an acknowledged Put
// is on disk and a crash never publishes a file whose data is missing.
func putHooks(root string, opts *gcblob.WriterOptions) (beforePublish, afterPublish func() error) {
	var f *os.File
	opts.BeforeWrite = func(as func(any) bool) error {
		if !as(&f) {
			return errors.New("fileblob: the writer is not a file")
		}
		return nil
	}
	beforePublish = func() error {
		if f == nil {
			return errors.New("fileblob: no temporary file to sync")
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("fsync: %w", err)
		}
		return nil
	}
	afterPublish = func() error {
		// The temporary file sat next to the final one, so its directory is the one the rename changed.
		root := filepath.Clean(root)
		for dir := filepath.Dir(f.Name()); ; dir = filepath.Dir(dir) {
			if err := syncDir(dir); err != nil {
				return err
			}
			if dir == root || dir == filepath.Dir(dir) {
				return nil
			}
		}
	}
	return beforePublish, afterPublish
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync directory %s: %w", dir, err)
	}
	return nil
}
