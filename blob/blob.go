// Package blob opens the store that keeps resource bytes by its URL — file:///var/lib/sluice/blobs,
// s3://bucket/prefix?endpoint=... — and adapts gocloud.dev buckets to sluice.BlobStore. Backends register
// a URL scheme (see fileblob and s3blob, which register themselves when imported); the configuration
// names only the URL.
//
// Every backend shares one Put: it streams the body to a gocloud writer while hashing and counting it,
// and aborts the write (gocloud writers publish nothing when their context is cancelled before Close)
// if the body ends early, runs long, fails or the caller's context ends. So a failed Put leaves nothing,
// and a reader never sees a partial object.
package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gcblob "gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/sluice-dev/sluice"
)

// Opener opens a store from its parsed URL.
type Opener func(ctx context.Context, u *url.URL) (sluice.BlobStore, error)

var (
	mu      sync.RWMutex
	openers = map[string]Opener{}
)

// Register makes a backend available under a URL scheme. It panics on a duplicate, as database/sql does:
// two backends for one scheme is a programming error.
func Register(scheme string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := openers[scheme]; dup {
		panic("blob: scheme registered twice: " + scheme)
	}
	openers[scheme] = open
}

// Schemes lists the registered URL schemes, sorted.
func Schemes() []string {
	mu.RLock()
	defer mu.RUnlock()
	var s []string
	for k := range openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the store rawURL names, with the backend registered for its scheme. Opening checks the URL
// and the configuration but need not reach the store; Probe does.
func Open(ctx context.Context, rawURL string) (sluice.BlobStore, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob store URL: %w", errors.New(Redact(err.Error())))
	}
	mu.RLock()
	open := openers[u.Scheme]
	mu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("blob store %s: unknown scheme %q (have %s)", Redact(rawURL), u.Scheme, strings.Join(Schemes(), ", "))
	}
	s, err := open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("blob store %s: %w", Redact(rawURL), err)
	}
	return s, nil
}

// secretParams are URL query parameters whose values never reach a log or an error message.
var secretParams = []string{"secret_access_key", "session_token"}

// Redact hides the secrets a store URL may carry (see secretParams and the URL's password), so that it
// can be logged or shown in an error.
func Redact(s string) string {
	for _, p := range secretParams {
		for from := 0; ; {
			i := strings.Index(s[from:], p+"=")
			if i < 0 {
				break
			}
			start := from + i + len(p) + 1
			end := strings.IndexAny(s[start:], "&# \"")
			if end < 0 {
				end = len(s) - start
			}
			s = s[:start] + "REDACTED" + s[start+end:]
			from = start + len("REDACTED")
		}
	}
	if u, err := url.Parse(s); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	return s
}

// Options adapt the shared Bucket to one backend.
type Options struct {
	// Escape maps a key to the name the backend stores it under and Unescape maps it back, for keys the
	// backend would otherwise take for its own files. Escape(k) must start with k, so that listing by a
	// prefix of k finds it. Nil: keys are stored as they are.
	Escape, Unescape func(key string) string
	// Hidden reports stored names List skips: the backend's own files, such as in-flight temporary files.
	Hidden func(name string) bool
	// PutHooks, when set, is called once per Put before the writer is created. It may change the writer's
	// options; beforePublish runs after the last byte was written and before the object is published (a
	// file store fsyncs the data there), afterPublish once it is published (and fsyncs the directory).
	PutHooks func(opts *gcblob.WriterOptions) (beforePublish, afterPublish func() error)
	// Explain turns a failed probe's error into a message that says what to fix.
	Explain func(err error) error
}

// Bucket is a sluice.BlobStore over a gocloud.dev bucket.
type Bucket struct {
	bucket *gcblob.Bucket
	opts   Options
}

var _ sluice.BlobStore = (*Bucket)(nil)

// NewBucket adapts b; the Bucket closes b on Close.
func NewBucket(b *gcblob.Bucket, opts Options) *Bucket {
	return &Bucket{bucket: b, opts: opts}
}

// copyBufferSize is how much of a body one read moves: large enough that per-call overhead vanishes at
// disk speed, small enough that a thousand concurrent uploads stay far below the memory of their files.
// copyBuffers are in flight at once: one being read (and hashed), the others being written.
const (
	copyBufferSize = 1 << 20
	copyBuffers    = 4
)

// pipe copies r to w with reading (which hashes, in hashingReader) and writing on two goroutines, so that
// hashing a chunk overlaps writing the one before: either alone runs near disk speed, one after the other
// would not. It returns the first error of either side; the writer stops at a read error and the reader
// stops at a write error.
func pipe(w io.Writer, r io.Reader) error {
	type chunk struct {
		buf []byte
		n   int
	}
	free := make(chan []byte, copyBuffers)
	for range copyBuffers {
		free <- make([]byte, copyBufferSize)
	}
	full := make(chan chunk, copyBuffers)
	failed := make(chan struct{}) // closed when a write fails: the reader stops taking the body
	werr := make(chan error, 1)
	go func() {
		var err error
		for c := range full {
			if err == nil {
				if _, err = w.Write(c.buf[:c.n]); err != nil {
					close(failed)
				}
			}
			free <- c.buf
		}
		werr <- err
	}()
	var rerr error
read:
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-failed:
			break read
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			full <- chunk{buf, n}
		}
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			break read
		case err != nil:
			rerr = err
			break read
		}
	}
	close(full)
	if err := <-werr; err != nil {
		return err
	}
	return rerr
}

// Put streams r to key; see sluice.BlobStore.
func (b *Bucket) Put(ctx context.Context, key string, r io.Reader, size int64) (sluice.BlobInfo, error) {
	if err := b.checkKey(key); err != nil {
		return sluice.BlobInfo{}, err
	}
	// Cancelling wctx before Close is how a gocloud write is aborted: nothing gets published.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := &gcblob.WriterOptions{
		// A content type makes the writer open the backend's writer at once instead of buffering the
		// first 512 bytes to sniff one, so every byte is in the backend's hands before beforePublish.
		ContentType: "application/octet-stream",
	}
	var beforePublish, afterPublish func() error
	if b.opts.PutHooks != nil {
		beforePublish, afterPublish = b.opts.PutHooks(opts)
	}
	w, err := b.bucket.NewWriter(wctx, b.escape(key), opts)
	if err != nil {
		return sluice.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	body := &hashingReader{ctx: ctx, r: r, h: sha256.New()}
	if size >= 0 {
		// One byte more than announced is enough to know the body is too long; the rest is not read.
		body.r = io.LimitReader(r, size+1)
	}
	err = pipe(w, body)
	if err == nil && size >= 0 && body.n != size {
		err = sluice.Errorf(sluice.EINVALID, "the body is %s bytes, not the %d announced", lengthText(body.n, size), size)
	}
	if err == nil && beforePublish != nil {
		err = beforePublish()
	}
	if err != nil {
		cancel()
		_ = w.Close() // aborted: it fails with the context's error and publishes nothing
		if ctx.Err() != nil && sluice.ErrorCode(err) == sluice.EINTERNAL {
			err = ctx.Err()
		}
		return sluice.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return sluice.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
	}
	if afterPublish != nil {
		if err := afterPublish(); err != nil {
			// Published but perhaps not durable: take it back rather than acknowledge it.
			_ = b.bucket.Delete(context.WithoutCancel(ctx), b.escape(key))
			return sluice.BlobInfo{}, fmt.Errorf("put blob %q: %w", key, err)
		}
	}
	return sluice.BlobInfo{Key: key, Size: body.n, SHA256: hex.EncodeToString(body.h.Sum(nil)), ModTime: time.Now().UTC()}, nil
}

// lengthText says how long a body that is not size bytes is; reading stopped one byte past size.
func lengthText(n, size int64) string {
	if n > size {
		return "more than " + fmt.Sprint(size)
	}
	return fmt.Sprint(n)
}

// hashingReader hashes and counts what is read through it, and stops once ctx ends (a body that never
// ends or blocks between reads does not keep an abandoned Put alive past its next read).
type hashingReader struct {
	ctx context.Context
	r   io.Reader
	h   hash.Hash
	n   int64
}

func (r *hashingReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	return n, err
}

// Open returns key's bytes; a missing key is sluice.ENOTFOUND.
func (b *Bucket) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := b.checkKey(key); err != nil {
		return nil, err
	}
	rd, err := b.bucket.NewReader(ctx, b.escape(key), nil)
	if err != nil {
		return nil, b.wrap("open", key, err)
	}
	return rd, nil
}

// Stat describes key; a missing key is sluice.ENOTFOUND. SHA256 is left empty.
func (b *Bucket) Stat(ctx context.Context, key string) (sluice.BlobInfo, error) {
	if err := b.checkKey(key); err != nil {
		return sluice.BlobInfo{}, err
	}
	a, err := b.bucket.Attributes(ctx, b.escape(key))
	if err != nil {
		return sluice.BlobInfo{}, b.wrap("stat", key, err)
	}
	return sluice.BlobInfo{Key: key, Size: a.Size, ModTime: a.ModTime.UTC()}, nil
}

// Delete removes key; a missing key is not an error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := b.checkKey(key); err != nil {
		return err
	}
	if err := b.bucket.Delete(ctx, b.escape(key)); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return b.wrap("delete", key, err)
	}
	return nil
}

// List calls fn for every key under prefix (a plain string prefix, not only whole path segments), in
// the backend's order; an error from fn stops the listing and is returned.
func (b *Bucket) List(ctx context.Context, prefix string, fn func(sluice.BlobInfo) error) error {
	it := b.bucket.List(&gcblob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list blobs under %q: %w", prefix, err)
		}
		if obj.IsDir || (b.opts.Hidden != nil && b.opts.Hidden(obj.Key)) {
			continue
		}
		key := obj.Key
		if b.opts.Unescape != nil {
			key = b.opts.Unescape(key)
		}
		if err := fn(sluice.BlobInfo{Key: key, Size: obj.Size, ModTime: obj.ModTime.UTC()}); err != nil {
			return err
		}
	}
}

// Close releases the bucket.
func (b *Bucket) Close() error { return b.bucket.Close() }

func (b *Bucket) wrap(op, key string, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return &sluice.Error{Code: sluice.ENOTFOUND, Message: fmt.Sprintf("blob %q not found", key), Err: err}
	}
	return fmt.Errorf("%s blob %q: %w", op, key, err)
}

// checkKey refuses keys that would not round-trip on every backend, or that name a directory rather
// than an object: empty, absolute, with empty, "." or ".." segments, a trailing slash, control
// characters or invalid UTF-8. The core makes the keys, so a refusal here is a bug there.
func (b *Bucket) checkKey(key string) error {
	bad := func(why string) error {
		return sluice.Errorf(sluice.EINVALID, "blob key %q: %s", key, why)
	}
	switch {
	case key == "":
		return bad("empty")
	case len(key) > 1024:
		return bad("longer than 1024 bytes") // S3's limit
	case !utf8.ValidString(key):
		return bad("not UTF-8")
	case strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return bad("control character")
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return bad(`empty, "." or ".." path segment`)
		}
	}
	return nil
}

func (b *Bucket) escape(key string) string {
	if b.opts.Escape != nil {
		return b.opts.Escape(key)
	}
	return key
}

// ProbeTimeout bounds Probe: a store that does not answer within it is as good as down.
const ProbeTimeout = 30 * time.Second

// Probe proves that s takes writes now: it puts, stats and deletes a small object under
// ".sluice-probe/". A server probes its store at start, so a bad endpoint, bad credentials, a missing
// bucket or an unwritable directory stop it there rather than fail the first upload.
func Probe(ctx context.Context, s sluice.BlobStore) error {
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	key := ".sluice-probe/" + rand.Text()
	explain := func(err error) error {
		if b, ok := s.(*Bucket); ok && b.opts.Explain != nil {
			return b.opts.Explain(err)
		}
		return err
	}
	const body = "sluice blob store probe\n"
	info, err := s.Put(ctx, key, strings.NewReader(body), int64(len(body)))
	if err != nil {
		return fmt.Errorf("cannot write a test object: %w", explain(err))
	}
	if _, err := s.Stat(ctx, key); err != nil {
		return fmt.Errorf("wrote a test object but cannot read it back: %w", explain(err))
	}
	if err := s.Delete(ctx, key); err != nil {
		return fmt.Errorf("cannot delete the test object %q: %w", info.Key, explain(err))
	}
	return nil
}
