// Package blobtest is the conformance suite every sluice.BlobStore passes: Run it with a function that
// opens an empty store. fileblob runs it always; s3blob runs it against a real S3-compatible server when
// SLUICE_TEST_S3_URL is set (CI starts Versity S3 Gateway and sets it; see .ci/run).
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

// Run runs the suite; open returns a new, empty store for one test (the suite closes it).
func Run(t *testing.T, open func(t *testing.T) sluice.BlobStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s sluice.BlobStore)
	}{
		{"PutOpenStat", testPutOpenStat},
		{"UnknownSize", testUnknownSize},
		{"Empty", testEmpty},
		{"Replace", testReplace},
		{"ErrShortBody", testShortBody},
		{"ErrLongBody", testLongBody},
		{"ErrBodyFails", testBodyFails},
		{"ErrCancelMidPut", testCancelMidPut},
		{"ErrNotFound", testNotFound},
		{"DeleteMissing", testDeleteMissing},
		{"ErrInvalidKey", testInvalidKey},
		{"KeysWithUnicodeAndSpaces", testUnicodeKeys},
		{"ListPrefix", testListPrefix},
		{"ListStopsOnError", testListStops},
		{"ConcurrentPuts", testConcurrentPuts},
		{"LargeStreamingPut", testLargePut},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// S3URL returns SLUICE_TEST_S3_URL — s3://BUCKET?endpoint=...&access_key_id=...: an existing bucket on a
// real S3-compatible server — with a prefix of its own for the calling test appended, so tests sharing
// the bucket never see each other's keys. Without the variable the test skips, except in CI (CI set),
// where the S3 tests are mandatory and it fails.
func S3URL(t testing.TB) *url.URL {
	t.Helper()
	raw := os.Getenv("SLUICE_TEST_S3_URL")
	if raw == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SLUICE_TEST_S3_URL is not set; the S3 tests are mandatory in CI")
		}
		t.Skip("SLUICE_TEST_S3_URL is not set: skipping the S3 tests (see .ci/run)")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		t.Fatalf("SLUICE_TEST_S3_URL: want s3://bucket?options, got %q", raw)
	}
	u.Path = fmt.Sprintf("/%s/t%d-%d", strings.Trim(u.Path, "/"), time.Now().UnixNano(), seq.Add(1))
	u.Path = strings.ReplaceAll(u.Path, "//", "/")
	return u
}

var seq atomic.Int64

var ctx = context.Background()

// put stores data under key and checks what Put reports.
func put(t *testing.T, s sluice.BlobStore, key string, data []byte) {
	t.Helper()
	info, err := s.Put(ctx, key, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	sum := sha256.Sum256(data)
	if info.Key != key || info.Size != int64(len(data)) || info.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("Put(%q) = %+v, want size %d sha256 %x", key, info, len(data), sum)
	}
}

// read returns key's bytes.
func read(t *testing.T, s sluice.BlobStore, key string) []byte {
	t.Helper()
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b
}

// keys lists every key under prefix, sorted.
func keys(t *testing.T, s sluice.BlobStore, prefix string) []string {
	t.Helper()
	var ks []string
	if err := s.List(ctx, prefix, func(i sluice.BlobInfo) error {
		ks = append(ks, i.Key)
		return nil
	}); err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	slices.Sort(ks)
	return ks
}

// assertAbsent checks that key is not stored and that the store lists nothing at all.
func assertAbsent(t *testing.T, s sluice.BlobStore, key string) {
	t.Helper()
	if _, err := s.Stat(ctx, key); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Errorf("Stat(%q) after a failed Put: %v, want not found", key, err)
	}
	if ks := keys(t, s, ""); len(ks) != 0 {
		t.Errorf("the store lists %q after a failed Put, want nothing", ks)
	}
}

func testPutOpenStat(t *testing.T, s sluice.BlobStore) {
	data := []byte("PK\x03\x04 a jar's bytes, kept exactly\r\n\x00\xff")
	before := time.Now().Add(-time.Minute)
	put(t, s, "p1/res/a.jar", data)
	if got := read(t, s, "p1/res/a.jar"); !bytes.Equal(got, data) {
		t.Fatalf("read back %q, want %q", got, data)
	}
	info, err := s.Stat(ctx, "p1/res/a.jar")
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != "p1/res/a.jar" || info.Size != int64(len(data)) || info.ModTime.Before(before) {
		t.Fatalf("Stat = %+v", info)
	}
}

func testUnknownSize(t *testing.T, s sluice.BlobStore) {
	data := bytes.Repeat([]byte("0123456789"), 10_000)
	// A reader without Len or Seek, as a request body is.
	info, err := s.Put(ctx, "k", io.MultiReader(bytes.NewReader(data[:5]), bytes.NewReader(data[5:])), -1)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != int64(len(data)) {
		t.Fatalf("size %d, want %d", info.Size, len(data))
	}
	if got := read(t, s, "k"); !bytes.Equal(got, data) {
		t.Fatal("bytes differ")
	}
}

func testEmpty(t *testing.T, s sluice.BlobStore) {
	put(t, s, "empty", nil)
	if got := read(t, s, "empty"); len(got) != 0 {
		t.Fatalf("read %q", got)
	}
}

func testReplace(t *testing.T, s sluice.BlobStore) {
	put(t, s, "k", []byte("first version, longer"))
	put(t, s, "k", []byte("second"))
	if got := read(t, s, "k"); string(got) != "second" {
		t.Fatalf("read %q", got)
	}
	// A failed replacement keeps the stored object whole.
	if _, err := s.Put(ctx, "k", strings.NewReader("short"), 100); err == nil {
		t.Fatal("a short body was accepted")
	}
	if got := read(t, s, "k"); string(got) != "second" {
		t.Fatalf("after a failed replacement read %q, want the previous bytes", got)
	}
}

func testShortBody(t *testing.T, s sluice.BlobStore) {
	_, err := s.Put(ctx, "k", strings.NewReader("only this"), 1000)
	if sluice.ErrorCode(err) != sluice.EINVALID {
		t.Fatalf("Put of a short body: %v, want invalid", err)
	}
	assertAbsent(t, s, "k")
}

func testLongBody(t *testing.T, s sluice.BlobStore) {
	_, err := s.Put(ctx, "k", strings.NewReader("more than announced"), 4)
	if sluice.ErrorCode(err) != sluice.EINVALID {
		t.Fatalf("Put of a long body: %v, want invalid", err)
	}
	assertAbsent(t, s, "k")
}

var errBody = errors.New("the client went away")

func testBodyFails(t *testing.T, s sluice.BlobStore) {
	body := io.MultiReader(bytes.NewReader(make([]byte, 3<<20)), iotestErrReader{errBody})
	_, err := s.Put(ctx, "k", body, -1)
	if !errors.Is(err, errBody) {
		t.Fatalf("Put of a failing body: %v, want %v", err, errBody)
	}
	assertAbsent(t, s, "k")
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// stallingReader gives n bytes, then blocks until released; started is closed when it first blocks.
type stallingReader struct {
	n       int
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (r *stallingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		k := min(len(p), r.n)
		clear(p[:k])
		r.n -= k
		return k, nil
	}
	r.once.Do(func() { close(r.started) })
	<-r.release
	return 0, errors.New("released")
}

func testCancelMidPut(t *testing.T, s sluice.BlobStore) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	body := &stallingReader{n: 6 << 20, started: make(chan struct{}), release: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		_, err := s.Put(cctx, "k", body, 10<<20)
		errc <- err
	}()
	<-body.started
	cancel()
	// A body that blocks cannot be interrupted from outside; the Put fails at its next read.
	close(body.release)
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("a cancelled Put succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a cancelled Put did not return")
	}
	assertAbsent(t, s, "k")
}

func testNotFound(t *testing.T, s sluice.BlobStore) {
	if _, err := s.Open(ctx, "missing"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Errorf("Open(missing): %v, want not found", err)
	}
	if _, err := s.Stat(ctx, "missing/deeper"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Errorf("Stat(missing): %v, want not found", err)
	}
}

func testDeleteMissing(t *testing.T, s sluice.BlobStore) {
	if err := s.Delete(ctx, "never/stored"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	put(t, s, "k", []byte("x"))
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, "k"); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("Stat after Delete: %v", err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
}

func testInvalidKey(t *testing.T, s sluice.BlobStore) {
	for _, key := range []string{"", "/abs", "a/../b", "../up", "a//b", "dir/", "./a", "tab\there", "bad\xffutf8"} {
		if _, err := s.Put(ctx, key, strings.NewReader("x"), 1); sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("Put(%q): %v, want invalid", key, err)
		}
		if _, err := s.Open(ctx, key); sluice.ErrorCode(err) != sluice.EINVALID {
			t.Errorf("Open(%q): %v, want invalid", key, err)
		}
	}
	if ks := keys(t, s, ""); len(ks) != 0 {
		t.Errorf("invalid keys stored %q", ks)
	}
}

func testUnicodeKeys(t *testing.T, s sluice.BlobStore) {
	ks := []string{
		"project 1/my resource.jar",
		"组/模型 文件.bin",
		"ünïcödé/файл.py",
		"emoji/😀 data.csv",
		"odd/a+b&c=d?e#f%20g;h,i@j'k(l)~!$.txt",
		"name with  two spaces and trailing space ",
	}
	for i, k := range ks {
		put(t, s, k, []byte(fmt.Sprint("body ", i)))
	}
	for i, k := range ks {
		if got := read(t, s, k); string(got) != fmt.Sprint("body ", i) {
			t.Errorf("read %q = %q", k, got)
		}
	}
	want := slices.Clone(ks)
	slices.Sort(want)
	if got := keys(t, s, ""); !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	if got := keys(t, s, "组/"); !slices.Equal(got, []string{"组/模型 文件.bin"}) {
		t.Errorf("List(组/) = %q", got)
	}
}

func testListPrefix(t *testing.T, s sluice.BlobStore) {
	for _, k := range []string{"a/1", "a/2", "a/sub/3", "ab", "b/1"} {
		put(t, s, k, []byte(k))
	}
	for prefix, want := range map[string][]string{
		"":       {"a/1", "a/2", "a/sub/3", "ab", "b/1"},
		"a/":     {"a/1", "a/2", "a/sub/3"},
		"a":      {"a/1", "a/2", "a/sub/3", "ab"},
		"a/sub/": {"a/sub/3"},
		"c":      nil,
	} {
		if got := keys(t, s, prefix); !slices.Equal(got, want) {
			t.Errorf("List(%q) = %q, want %q", prefix, got, want)
		}
	}
	var sizes []int64
	s.List(ctx, "b/", func(i sluice.BlobInfo) error {
		sizes = append(sizes, i.Size)
		return nil
	})
	if !slices.Equal(sizes, []int64{3}) {
		t.Errorf("List(b/) sizes %v, want [3]", sizes)
	}
}

func testListStops(t *testing.T, s sluice.BlobStore) {
	put(t, s, "x/1", []byte("1"))
	put(t, s, "x/2", []byte("2"))
	stop := errors.New("stop")
	calls := 0
	err := s.List(ctx, "x/", func(sluice.BlobInfo) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("List returned %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func testConcurrentPuts(t *testing.T, s sluice.BlobStore) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			body := Generate(uint64(i), 1<<20+int64(i))
			_, errs[i] = s.Put(ctx, fmt.Sprintf("c/%d", i), body, 1<<20+int64(i))
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Put %d: %v", i, errs[i])
		}
		want, _ := io.ReadAll(Generate(uint64(i), 1<<20+int64(i)))
		if got := read(t, s, fmt.Sprintf("c/%d", i)); !bytes.Equal(got, want) {
			t.Errorf("c/%d: bytes differ", i)
		}
	}
}

// Generate returns n reproducible pseudo-random bytes made on the fly: a body as large as a test likes
// without holding it in memory.
func Generate(seed uint64, n int64) io.Reader {
	var key [32]byte
	key[0] = byte(seed)
	key[1] = byte(seed >> 8)
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// LargeSize is the body of LargeStreamingPut; MaxHeapGrowth bounds how much the heap may grow while it
// is stored: a Put that held the body would need all of it.
const (
	LargeSize     = 64 << 20
	MaxHeapGrowth = 40 << 20
)

func testLargePut(t *testing.T, s sluice.BlobStore) {
	want := sha256.New()
	io.Copy(want, Generate(7, LargeSize))

	// A low GC target makes the heap track what the Put keeps alive rather than garbage awaiting a
	// collection, so the bound below measures design, not the collector's pacing.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	info, err := s.Put(ctx, "large/64MiB.bin", Generate(7, LargeSize), LargeSize)
	close(done)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != LargeSize || info.SHA256 != hex.EncodeToString(want.Sum(nil)) {
		t.Fatalf("Put = %+v", info)
	}
	growth := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("heap grew by at most %d MiB while storing %d MiB", growth>>20, LargeSize>>20)
	if growth > MaxHeapGrowth {
		t.Errorf("the heap grew by %d MiB while storing %d MiB: the Put holds the body", growth>>20, LargeSize>>20)
	}

	rc, err := s.Open(ctx, "large/64MiB.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got := sha256.New()
	if n, err := io.Copy(got, rc); err != nil || n != LargeSize {
		t.Fatalf("read back %d bytes: %v", n, err)
	}
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatal("read back different bytes")
	}
}
