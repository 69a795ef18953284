package core_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
)

// memBlobs is a BlobStore in memory, with the store's contract: Put publishes only complete bytes.
type memBlobs struct {
	mu      sync.Mutex
	blobs   map[string][]byte
	times   map[string]time.Time
	block   chan struct{} // when set, Put waits for it before publishing
	waiting chan string   // when set, Put sends its key there before it waits
}

func newMemBlobs() *memBlobs {
	return &memBlobs{blobs: map[string][]byte{}, times: map[string]time.Time{}}
}

func (m *memBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) (sluice.BlobInfo, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return sluice.BlobInfo{}, err
	}
	if size >= 0 && int64(len(b)) != size {
		return sluice.BlobInfo{}, sluice.Errorf(sluice.EINVALID, "The body has %d bytes, not %d.", len(b), size)
	}
	if m.waiting != nil {
		m.waiting <- key
	}
	if m.block != nil {
		<-m.block
	}
	sum := sha256.Sum256(b)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blobs[key], m.times[key] = b, time.Now()
	return sluice.BlobInfo{Key: key, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}, nil
}

func (m *memBlobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[key]
	if !ok {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "no blob %s", key)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memBlobs) Stat(ctx context.Context, key string) (sluice.BlobInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[key]
	if !ok {
		return sluice.BlobInfo{}, sluice.Errorf(sluice.ENOTFOUND, "no blob %s", key)
	}
	return sluice.BlobInfo{Key: key, Size: int64(len(b)), ModTime: m.times[key]}, nil
}

func (m *memBlobs) Delete(ctx context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.blobs, key)
	return nil
}

func (m *memBlobs) List(ctx context.Context, prefix string, fn func(sluice.BlobInfo) error) error {
	m.mu.Lock()
	var infos []sluice.BlobInfo
	for k, b := range m.blobs {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, sluice.BlobInfo{Key: k, Size: int64(len(b)), ModTime: m.times[k]})
		}
	}
	m.mu.Unlock()
	sort.Slice(infos, func(i, j int) bool { return infos[i].Key < infos[j].Key })
	for _, b := range infos {
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

func (m *memBlobs) Close() error { return nil }

func (m *memBlobs) keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ks []string
	for k := range m.blobs {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// memSources serves obs://bkt/<name> from a map; anything else is outside the allowed sources.
type memSources map[string]string

func (m memSources) OpenSource(ctx context.Context, raw string) (io.ReadCloser, int64, error) {
	if !strings.HasPrefix(raw, "obs://bkt/") {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The path %s is not an allowed source.", raw)
	}
	body, ok := m[strings.TrimPrefix(raw, "obs://bkt/")]
	if !ok {
		return nil, 0, sluice.Errorf(sluice.ENOTFOUND, "The object %s does not exist.", raw)
	}
	return io.NopCloser(strings.NewReader(body)), int64(len(body)), nil
}

type resourceFixture struct {
	s       *core.Service
	blobs   *memBlobs
	sources memSources
	root    *sluice.User
	owner   *sluice.User
	dev     context.Context
	viewer  context.Context
	ref     sluice.ProjectRef
}

func newResourceFixture(t testing.TB) *resourceFixture {
	t.Helper()
	fx := newFilesFixture(t)
	x := &resourceFixture{s: fx.s, blobs: newMemBlobs(), sources: memSources{"app.jar": "jar bytes", "util.py": "print(1)"},
		root: fx.root, owner: fx.alice, dev: as(fx.dave), viewer: as(fx.vera), ref: fx.ref}
	x.s.Blobs, x.s.Sources = x.blobs, x.sources
	x.s.Modules = []*sluice.Module{{Name: "sys.datasource.rds", Type: sluice.KindJar, Resources: []string{"rds.jar"}}}
	return x
}

func (x *resourceFixture) read(t *testing.T, group, name string) string {
	t.Helper()
	_, body, err := x.s.OpenResource(x.viewer, x.ref, group, name)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	b, _ := io.ReadAll(body)
	return string(b)
}

func TestResources_SyncUpload(t *testing.T) {
	x := newResourceFixture(t)
	g, err := x.s.UploadResources(x.dev, x.ref, sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar", "obs://bkt/util.py"},
		Kind: sluice.KindJar, Group: "etl", Tags: []sluice.Tag{{Key: "env", Value: "dev"}}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "etl" || g.Owner != "dave" || g.Status() != sluice.UploadReady || len(g.Resources) != 2 {
		t.Fatalf("group = %+v", g)
	}
	a := g.Resources[0]
	sum := sha256.Sum256([]byte("jar bytes"))
	if a.Status != sluice.UploadReady || a.Size != 9 || a.SHA256 != hex.EncodeToString(sum[:]) || a.Kind != sluice.KindJar ||
		!strings.HasSuffix(a.UnderlyingName, "_app.jar") || len(a.UnderlyingName) != 36+1+7 ||
		strings.Split(a.UnderlyingName, "_")[0] != strings.Split(g.Resources[1].UnderlyingName, "_")[0] {
		t.Fatalf("resource = %+v", a)
	}
	if got := x.read(t, "etl", "app.jar"); got != "jar bytes" {
		t.Fatalf("bytes = %q", got)
	}
	l, err := x.s.FindResources(x.viewer, x.ref, sluice.ResourceFilter{})
	if err != nil || l.Total() != 2 || len(l.Groups) != 1 || len(l.Modules) != 1 {
		t.Fatalf("listing = %+v, %v", l, err)
	}
	l, _ = x.s.FindResources(x.viewer, x.ref, sluice.ResourceFilter{Tags: []sluice.Tag{{Key: "env", Value: "prod"}}})
	if l.Total() != 0 || len(l.Groups) != 0 {
		t.Fatalf("listing by another tag = %+v", l)
	}

	// A new upload of app.jar replaces it and its bytes; the replaced bytes are gone.
	x.sources["app.jar"] = "new jar bytes"
	if _, err := x.s.UploadResources(x.dev, x.ref, sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar, Group: "etl"}); err != nil {
		t.Fatal(err)
	}
	if got := x.read(t, "etl", "app.jar"); got != "new jar bytes" {
		t.Fatalf("bytes after replace = %q", got)
	}
	if keys := x.blobs.keys(); len(keys) != 2 {
		t.Fatalf("blobs after replace = %v, want the new app.jar and util.py", keys)
	}
	// Deleting removes the bytes; the group goes with its last resource.
	for _, name := range []string{"app.jar", "util.py"} {
		if err := x.s.DeleteResource(x.dev, x.ref, "etl", name); err != nil {
			t.Fatal(err)
		}
	}
	if keys := x.blobs.keys(); len(keys) != 0 {
		t.Fatalf("blobs after delete = %v", keys)
	}
	if l, _ := x.s.FindResources(x.viewer, x.ref, sluice.ResourceFilter{}); len(l.Groups) != 0 {
		t.Fatalf("groups after deleting all = %+v", l.Groups)
	}
}

// TestResources_ReplacedBytesGoFirst: a synchronous upload that replaces a resource removes the replaced
// bytes as soon as the replacement is recorded, not after copying the new ones, so a server killed during the
// copy leaves no bytes that no resource holds (the copy itself is resumed by its job).
func TestResources_ReplacedBytesGoFirst(t *testing.T) {
	for _, async := range []bool{false, true} {
		x := newResourceFixture(t)
		up := sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar, Group: "etl"}
		if _, err := x.s.UploadResources(x.dev, x.ref, up); err != nil {
			t.Fatal(err)
		}
		old := x.blobs.keys()
		x.blobs.block, x.blobs.waiting = make(chan struct{}), make(chan string)
		up.Async = async
		done := make(chan error)
		go func() {
			_, err := x.s.UploadResources(x.dev, x.ref, up)
			done <- err
		}()
		if async {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			go func() { _, err := x.s.RunJob(context.Background()); done <- err }()
		}
		<-x.blobs.waiting // the new bytes are being copied
		if keys := x.blobs.keys(); len(keys) != 0 {
			t.Errorf("async %v: during the copy of the replacement the blob store holds %v (the replaced %v)", async, keys, old)
		}
		close(x.blobs.block)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if keys := x.blobs.keys(); len(keys) != 1 || keys[0] == old[0] {
			t.Fatalf("async %v: blobs after the replacement = %v (the replaced %v)", async, keys, old)
		}
	}
}

func TestResources_Refused(t *testing.T) {
	x := newResourceFixture(t)
	upload := func(ctx context.Context, u sluice.ResourceUpload) error {
		_, err := x.s.UploadResources(ctx, x.ref, u)
		return err
	}
	ok := sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar, Group: "etl",
		Tags: []sluice.Tag{{Key: strings.Repeat("键", 128), Value: strings.Repeat("值", 255)}}} // at the limits, allowed
	for _, tc := range []struct {
		name string
		ctx  context.Context
		edit func(*sluice.ResourceUpload)
		code string
	}{
		{"Viewer", x.viewer, func(*sluice.ResourceUpload) {}, sluice.EFORBIDDEN},
		{"NoPaths", x.dev, func(u *sluice.ResourceUpload) { u.Sources = nil }, sluice.EINVALID},
		{"BadKind", x.dev, func(u *sluice.ResourceUpload) { u.Kind = "exe" }, sluice.EINVALID},
		{"BadGroup", x.dev, func(u *sluice.ResourceUpload) { u.Group = "a/b" }, sluice.EINVALID},
		{"BadName", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"obs://bkt/.hidden"} }, sluice.EINVALID},
		{"NotAURL", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"app.jar"} }, sluice.EINVALID},
		{"Disallowed", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"https://evil/app.jar"} }, sluice.EINVALID},
		{"Missing", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"obs://bkt/app.jar", "obs://bkt/none.jar"} }, sluice.ENOTFOUND},
		{"MissingAsync", x.dev, func(u *sluice.ResourceUpload) { u.Sources, u.Async = []string{"obs://bkt/none.jar"}, true }, sluice.ENOTFOUND},
		{"Twice", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"obs://bkt/app.jar", "obs://other/app.jar"} }, sluice.EINVALID},
		{"BadTag", x.dev, func(u *sluice.ResourceUpload) { u.Tags = []sluice.Tag{{Key: "_sys_x", Value: "v"}} }, sluice.EINVALID},
		{"LongName", x.dev, func(u *sluice.ResourceUpload) { u.Sources = []string{"obs://bkt/" + strings.Repeat("a", 129)} }, sluice.EINVALID},
		{"LongGroup", x.dev, func(u *sluice.ResourceUpload) { u.Group = strings.Repeat("g", 65) }, sluice.EINVALID},
		{"LongTagKey", x.dev, func(u *sluice.ResourceUpload) { u.Tags = []sluice.Tag{{Key: strings.Repeat("键", 129), Value: "v"}} }, sluice.EINVALID},
		{"LongTagValue", x.dev, func(u *sluice.ResourceUpload) { u.Tags = []sluice.Tag{{Key: "k", Value: strings.Repeat("值", 256)}} }, sluice.EINVALID},
		{"NoSuchOwner", x.dev, func(u *sluice.ResourceUpload) { u.Owner = "nobody" }, sluice.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := ok
			tc.edit(&u)
			wantCode(t, upload(tc.ctx, u), tc.code)
			if l, _ := x.s.FindResources(x.viewer, x.ref, sluice.ResourceFilter{}); l.Total() != 0 || len(x.blobs.keys()) != 0 {
				t.Fatalf("a refused upload changed something: %+v, blobs %v", l, x.blobs.keys())
			}
		})
	}
	_, _, err := x.s.OpenResource(x.viewer, x.ref, "etl", "app.jar")
	wantCode(t, err, sluice.ENOTFOUND)
	wantCode(t, x.s.DeleteResource(x.viewer, x.ref, "etl", "app.jar"), sluice.EFORBIDDEN)
	// Names and tags at their limits are taken.
	ok.Sources = []string{"obs://bkt/app.jar"}
	if err := upload(x.dev, ok); err != nil {
		t.Fatalf("an upload at the limits: %v", err)
	}
}

func TestResources_AsyncUploadAndJobs(t *testing.T) {
	x := newResourceFixture(t)
	g, err := x.s.UploadResources(x.dev, x.ref, sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar,
		Group: "etl", Async: true})
	if err != nil {
		t.Fatal(err)
	}
	if g.Status() != sluice.UploadUploading || !g.Async || !g.Resources[0].Async {
		t.Fatalf("async answer = %+v", g)
	}
	// The object disappears before the job runs: the resource ends FAILED with the reason, no bytes kept.
	delete(x.sources, "app.jar")
	if ran, err := x.s.RunJob(context.Background()); !ran || err != nil {
		t.Fatalf("RunJob = %v, %v", ran, err)
	}
	r, err := x.s.FindResource(x.viewer, x.ref, "etl", "app.jar")
	if err != nil || r.Status != sluice.UploadFailed || !strings.Contains(r.Reason, "does not exist") {
		t.Fatalf("after the job = %+v, %v", r, err)
	}
	if ran, _ := x.s.RunJob(context.Background()); ran {
		t.Fatal("a finished job ran again")
	}
	_, _, err = x.s.OpenResource(x.viewer, x.ref, "etl", "app.jar")
	wantCode(t, err, sluice.ECONFLICT)

	// Re-uploading is the way back to READY.
	x.sources["app.jar"] = "jar bytes"
	if _, err := x.s.UploadResources(x.dev, x.ref, sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar,
		Group: "etl", Async: true}); err != nil {
		t.Fatal(err)
	}
	if ran, err := x.s.RunJob(context.Background()); !ran || err != nil {
		t.Fatalf("RunJob = %v, %v", ran, err)
	}
	if got := x.read(t, "etl", "app.jar"); got != "jar bytes" {
		t.Fatalf("bytes = %q", got)
	}
}

func TestResources_StreamedAndSweep(t *testing.T) {
	x := newResourceFixture(t)
	r, err := x.s.PutResource(x.dev, x.ref, sluice.Resource{Name: "model.bin", Kind: sluice.KindModelFile, Size: 5}, strings.NewReader("12345"))
	if err != nil || r.Status != sluice.UploadReady || r.Size != 5 || r.Group != "" {
		t.Fatalf("PutResource = %+v, %v", r, err)
	}
	// Bytes of another digest than declared change nothing.
	_, err = x.s.PutResource(x.dev, x.ref, sluice.Resource{Name: "model.bin", Kind: sluice.KindModelFile, Size: 5,
		SHA256: strings.Repeat("0", 64)}, strings.NewReader("abcde"))
	wantCode(t, err, sluice.EINVALID)
	if got, _ := x.s.FindResource(x.viewer, x.ref, "", "model.bin"); got == nil || got.Size != 5 || x.read(t, "", "model.bin") != "12345" {
		t.Fatalf("after a mismatched digest = %+v", got)
	}
	if keys := x.blobs.keys(); len(keys) != 1 {
		t.Fatalf("a mismatched digest left bytes: %v", keys)
	}
	// A stream shorter than declared changes nothing: no record, no bytes, the old version kept.
	_, err = x.s.PutResource(x.dev, x.ref, sluice.Resource{Name: "model.bin", Kind: sluice.KindModelFile, Size: 10}, strings.NewReader("123"))
	wantCode(t, err, sluice.EINVALID)
	if got, _ := x.s.FindResource(x.viewer, x.ref, "", "model.bin"); got == nil || got.Size != 5 {
		t.Fatalf("after a short upload = %+v", got)
	}
	if got := x.read(t, "", "model.bin"); got != "12345" {
		t.Fatalf("bytes = %q", got)
	}
	// Bytes no resource holds are orphans once older than the grace period.
	if _, err := x.blobs.Put(context.Background(), "resources/1/lost", strings.NewReader("x"), -1); err != nil {
		t.Fatal(err)
	}
	orphans, err := x.s.SweepBlobs(context.Background(), time.Hour, true)
	if err != nil || len(orphans) != 0 {
		t.Fatalf("sweep inside the grace period = %v, %v", orphans, err)
	}
	orphans, err = x.s.SweepBlobs(context.Background(), -time.Second, true)
	if err != nil || len(orphans) != 1 || orphans[0].Key != "resources/1/lost" {
		t.Fatalf("sweep = %v, %v", orphans, err)
	}
	if keys := x.blobs.keys(); len(keys) != 1 {
		t.Fatalf("blobs after the sweep = %v, want model.bin's", keys)
	}
	// Deleting the project removes its resources' bytes.
	if err := x.s.DeleteProject(as(x.owner), x.ref); err != nil {
		t.Fatal(err)
	}
	if keys := x.blobs.keys(); len(keys) != 0 {
		t.Fatalf("blobs after deleting the project = %v", keys)
	}
}

func TestResources_OwnersAndTags(t *testing.T) {
	x := newResourceFixture(t)
	if _, err := x.s.UploadResources(x.dev, x.ref, sluice.ResourceUpload{Sources: []string{"obs://bkt/app.jar"}, Kind: sluice.KindJar, Group: "etl"}); err != nil {
		t.Fatal(err)
	}
	if err := x.s.ChangeResourceOwner(x.dev, x.ref, "etl", "app.jar", "vera"); err != nil {
		t.Fatal(err)
	}
	if err := x.s.ChangeResourceOwner(x.dev, x.ref, "etl", "", "vera"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, x.s.ChangeResourceOwner(x.dev, x.ref, "etl", "app.jar", "nobody"), sluice.ENOTFOUND)
	wantCode(t, x.s.ChangeResourceOwner(x.dev, x.ref, "", "", "vera"), sluice.EINVALID)
	if err := x.s.TagResource(x.dev, x.ref, "etl", "app.jar", []sluice.Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: "bi"}}); err != nil {
		t.Fatal(err)
	}
	if err := x.s.TagResource(x.dev, x.ref, "etl", "app.jar", []sluice.Tag{{Key: "env", Value: "prod"}}); err != nil {
		t.Fatal(err)
	}
	if err := x.s.UntagResource(x.dev, x.ref, "etl", "app.jar", []sluice.Tag{{Key: "team"}, {Key: "missing"}}); err != nil {
		t.Fatal(err)
	}
	r, _ := x.s.FindResource(x.viewer, x.ref, "etl", "app.jar")
	if r.Owner != "vera" || len(r.Tags) != 1 || r.Tags[0] != (sluice.Tag{Key: "env", Value: "prod"}) {
		t.Fatalf("after owner and tag changes = %+v", r)
	}
	l, _ := x.s.FindResources(x.viewer, x.ref, sluice.ResourceFilter{})
	if l.Groups[0].Owner != "vera" {
		t.Fatalf("group owner = %q", l.Groups[0].Owner)
	}
}
