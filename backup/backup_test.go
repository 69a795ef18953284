package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob/fileblob"
	"github.com/sluice-dev/sluice/sluicetest"
)

// fixture is a populated server: a project with a committed SQL file (and its lineage), a resource with
// bytes and a package sharing it.
type fixture struct {
	dir     string
	srv     *sluicetest.Server
	as      context.Context // the root user
	ref     sluice.ProjectRef
	file    int64
	jar     []byte
	jarHash string
}

func populate(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{dir: t.TempDir()}
	fx.srv = sluicetest.NewServer(t, sluicetest.Options{DataDir: fx.dir})
	ctx := t.Context()
	c := fx.srv.Client()
	if _, err := c.CreateProject(ctx, "sales_dw", "", "sales"); err != nil {
		t.Fatal(err)
	}
	root, err := fx.srv.Server.DB.FindUserByName(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	fx.as = sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: root})
	fx.ref = sluice.ProjectByName("sales_dw")
	if _, err := fx.srv.Server.Core.CreateWorkflow(fx.as, fx.ref, sluice.Workflow{Name: "flow"}); err != nil {
		t.Fatal(err)
	}
	fx.file = fx.commit(t, "ods_orders", "INSERT OVERWRITE TABLE ods_orders SELECT * FROM src_orders;")
	fx.jar = make([]byte, 3<<20+17)
	rand.Read(fx.jar)
	sum := sha256.Sum256(fx.jar)
	fx.jarHash = hex.EncodeToString(sum[:])
	if _, err := c.UploadResource(ctx, "sales_dw", "", "jar", "udf.jar", bytes.NewReader(fx.jar), int64(len(fx.jar)), fx.jarHash); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RunSQL(ctx, "sales_dw", "CREATE PACKAGE share; ADD RESOURCE udf.jar TO PACKAGE share;"); err != nil {
		t.Fatal(err)
	}
	return fx
}

// commit creates and submits a file, returning its id once the commit is acknowledged.
func (fx *fixture) commit(t testing.TB, name, content string) int64 {
	f, err := fx.srv.Server.Core.CreateFile(fx.as, fx.ref, sluice.File{Name: name, Type: 10, Content: content, AutoParsing: true,
		FolderPath: "Business Flow/flow/MaxCompute"}, true)
	if err != nil {
		t.Error(err)
		return 0
	}
	if _, err := fx.srv.Server.Core.SubmitFile(fx.as, fx.ref, f.ID, "v1"); err != nil {
		t.Error(err)
		return 0
	}
	return f.ID
}

func writeArchive(t *testing.T, opts Options) (string, *Manifest) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "backup.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	m, err := Create(t.Context(), f, opts)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	return path, m
}

func restore(t *testing.T, archive, dir string) (*Manifest, error) {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Restore(t.Context(), f, dir)
}

// TestRoundTrip backs up a server while files are committed and resources replaced, restores the archive
// into a new directory and starts a server on it.
func TestRoundTrip(t *testing.T) {
	fx := populate(t)
	ctx := t.Context()

	// Writers: one commits files, one keeps replacing a resource (which removes the bytes it replaces).
	var mu sync.Mutex
	var acked []int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }); wg.Wait() }
	defer halt()
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fx.commit(t, fmt.Sprintf("f_%d", i), fmt.Sprintf("INSERT INTO t_%d SELECT * FROM ods_orders;", i))
			mu.Lock()
			acked = append(acked, id)
			mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		c := fx.srv.Client()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			body := []byte(fmt.Sprintf("churn %d", i))
			if _, err := c.UploadResource(ctx, "sales_dw", "", "file", "churn.txt", bytes.NewReader(body), int64(len(body)), ""); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	// Let the writers get going: some commits acknowledged before the backup, more during it.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20 {
			break
		}
	}
	mu.Lock()
	before := append([]int64(nil), acked...)
	mu.Unlock()
	archive, m := writeArchive(t, Options{DataDir: fx.dir, Sluice: "test"})
	halt()
	if len(before) == 0 {
		t.Fatal("no file was committed before the backup")
	}
	t.Logf("backup: %d files acknowledged before it, %d snapshots, counts %v", len(before), m.Snapshots, m.Counts)
	if m.Format != Format || m.SchemaVersion < 11 || !m.MasterKey || m.MasterKeyFingerprint == "" || m.Counts["packages"] != 1 || m.Counts["blobs"] < 1 {
		t.Errorf("manifest %+v", m)
	}
	if vm, err := verifyFile(t, archive); err != nil || vm.Created != m.Created {
		t.Fatalf("verify: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := restore(t, archive, dir); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, MasterKeyName)); err != nil {
		t.Fatal(err)
	}
	srv := sluicetest.NewServer(t, sluicetest.Options{DataDir: dir, RootAccessKeyID: fx.srv.AccessKeyID, RootAccessKeySecret: fx.srv.AccessKeySecret})
	c := srv.Client()

	// The root key works: its sealed secret opened with the restored master key.
	if w, err := c.Whoami(ctx); err != nil || w.User != "root" {
		t.Fatalf("whoami on the restored server: %+v %v", w, err)
	}
	// Every commit acknowledged before the backup began is there, and the first file's lineage.
	for _, id := range append(before, fx.file) {
		f, err := srv.Server.Core.FindFile(rootCtx(t, srv), fx.ref, id)
		if err != nil || f.CommitStatus != sluice.Committed || f.CurrentVersion != 1 {
			t.Fatalf("file %d after restore: %+v %v", id, f, err)
		}
	}
	lin, err := c.FileVersionLineage(ctx, "sales_dw", fx.file, 1)
	if err != nil || !strings.Contains(strings.Join(lin.Inputs, ","), "src_orders") || !strings.Contains(strings.Join(lin.Outputs, ","), "ods_orders") {
		t.Fatalf("lineage after restore: %+v %v", lin, err)
	}
	// The resource's bytes, whole.
	h := sha256.New()
	if n, _, err := c.DownloadResource(ctx, "sales_dw", "", "udf.jar", h); err != nil || n != int64(len(fx.jar)) || hex.EncodeToString(h.Sum(nil)) != fx.jarHash {
		t.Fatalf("download after restore: %d bytes, %v", n, err)
	}
	// The churned resource, whichever version the snapshot held, downloads too.
	if _, _, err := c.DownloadResource(ctx, "sales_dw", "", "churn.txt", io.Discard); err != nil {
		t.Fatalf("churned resource after restore: %v", err)
	}
	res, err := c.RunSQL(ctx, "sales_dw", "SHOW PACKAGES;")
	if err != nil || len(res) != 1 || res[0].Packages == nil || !strings.Contains(fmt.Sprint(*res[0].Packages), "share") {
		t.Fatalf("packages after restore: %+v %v", res, err)
	}
	// The database passes SQLite's own check.
	integrity(t, filepath.Join(dir, DatabaseName))
}

func rootCtx(t *testing.T, srv *sluicetest.Server) context.Context {
	root, err := srv.Server.DB.FindUserByName(t.Context(), "root")
	if err != nil {
		t.Fatal(err)
	}
	return sluice.NewContextWithCaller(context.Background(), &sluice.Caller{User: root})
}

func integrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&s); err != nil || s != "ok" {
		t.Fatalf("integrity_check: %q %v", s, err)
	}
}

func verifyFile(t *testing.T, archive string) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Verify(t.Context(), f)
}

// TestRemovedWhileCopying removes resources after the snapshot: one before its bytes are opened (Create
// takes a newer snapshot), one after (its bytes, already open, are copied for the first snapshot, then
// marked unreferenced as the newer one no longer holds them, and not restored).
func TestRemovedWhileCopying(t *testing.T) {
	fx := populate(t)
	c := fx.srv.Client()
	ctx := t.Context()
	for _, name := range []string{"a.txt", "b.txt"} {
		if _, err := c.UploadResource(ctx, "sales_dw", "", "file", name, strings.NewReader(name), int64(len(name)), ""); err != nil {
			t.Fatal(err)
		}
	}
	remove := func(name string) {
		if err := c.DeleteResource(ctx, "sales_dw", "", name); err != nil {
			t.Error(err)
		}
	}
	var first, copied sync.Once
	testHookSnapshot = func() { first.Do(func() { remove("a.txt") }) }
	testHookCopied = func(string) { copied.Do(func() { remove("b.txt") }) }
	t.Cleanup(func() { testHookSnapshot, testHookCopied = nil, nil })
	archive, m := writeArchive(t, Options{DataDir: fx.dir})
	if m.Snapshots != 2 || m.Counts["blobs"] != 1 {
		t.Fatalf("manifest %+v", m)
	}
	unref := 0
	for _, mb := range m.Members {
		if mb.Unreferenced {
			unref++
		}
	}
	if unref != 1 {
		t.Fatalf("%d unreferenced members, want the one copied before the removal: %+v", unref, m.Members)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := restore(t, archive, dir); err != nil {
		t.Fatal(err)
	}
	var left []string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 1 || !strings.HasSuffix(left[0], "_udf.jar") {
		t.Fatalf("restored bytes: %v, want udf.jar's alone", left)
	}
}

// TestLostBytes refuses to write an archive whose READY resource has no bytes in the store.
func TestLostBytes(t *testing.T) {
	fx := populate(t)
	var key string
	if err := fx.srv.Server.DB.ResourceBlobKeys(t.Context(), func(k string) error { key = k; return nil }); err != nil || key == "" {
		t.Fatal(key, err)
	}
	if err := os.Remove(filepath.Join(fx.dir, "blobs", filepath.FromSlash(key))); err != nil {
		t.Fatal(err)
	}
	_, err := Create(t.Context(), io.Discard, Options{DataDir: fx.dir, TempDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "udf.jar") || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("backup of a store that lost bytes: %v", err)
	}
	// No blob directory at all: the same.
	if err := os.RemoveAll(filepath.Join(fx.dir, "blobs")); err != nil {
		t.Fatal(err)
	}
	_, err = Create(t.Context(), io.Discard, Options{DataDir: fx.dir, TempDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("backup without a blob directory: %v", err)
	}
}

// TestWithoutMasterKey leaves the key out; the restored directory needs it supplied.
func TestWithoutMasterKey(t *testing.T) {
	fx := populate(t)
	archive, m := writeArchive(t, Options{DataDir: fx.dir, WithoutMasterKey: true})
	if m.MasterKey || m.MasterKeyFingerprint == "" {
		t.Fatalf("manifest %+v", m)
	}
	for _, mb := range m.Members {
		if mb.Name == MasterKeyName || mb.Name == RootCredentialsName {
			t.Fatalf("%s is in the archive", mb.Name)
		}
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := restore(t, archive, dir); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(filepath.Join(fx.dir, MasterKeyName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, MasterKeyName), key, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := sluicetest.NewServer(t, sluicetest.Options{DataDir: dir, RootAccessKeyID: fx.srv.AccessKeyID, RootAccessKeySecret: fx.srv.AccessKeySecret})
	if _, err := srv.Client().Whoami(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestRefusals: PostgreSQL and S3 deployments, a data directory without a database, a non-empty target,
// and damaged archives, which leave the target empty.
func TestRefusals(t *testing.T) {
	for _, o := range []Options{
		{DataDir: "d", Database: "postgres://u@h/db"},
		{DataDir: "d", Blob: "s3://bucket/prefix?endpoint=http://x"},
	} {
		if _, err := Create(t.Context(), io.Discard, o); !errors.Is(err, ErrNotEmbedded) {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := Create(t.Context(), io.Discard, Options{DataDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no SQLite database") {
		t.Errorf("empty data dir: %v", err)
	}

	fx := populate(t)
	archive, _ := writeArchive(t, Options{DataDir: fx.dir})
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "x"), nil, 0o600)
	if _, err := restore(t, archive, full); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a non-empty directory: %v", err)
	}

	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(t.TempDir(), "truncated.tar.gz")
	os.WriteFile(truncated, data[:len(data)/2], 0o600)
	empty := t.TempDir()
	if _, err := restore(t, truncated, empty); err == nil {
		t.Error("a truncated archive was restored")
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a failed restore left %v", entries)
	}
	if _, err := verifyFile(t, truncated); err == nil {
		t.Error("a truncated archive verified")
	}
}

// rewrite copies an archive, changing its members through edit (nil drops one), and adds extra members.
func rewrite(t *testing.T, archive string, edit func(name string, data []byte) []byte, extra map[string]string) string {
	t.Helper()
	in, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	gr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gr)
	out := filepath.Join(t.TempDir(), "edited.tar.gz")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gw := gzip.NewWriter(f)
	tw := tar.NewWriter(gw)
	put := func(name string, data []byte) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	for name, data := range extra {
		put(name, []byte(data))
	}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if data = edit(hdr.Name, data); data != nil {
			put(hdr.Name, data)
		}
	}
	tw.Close()
	gw.Close()
	return out
}

// TestDamagedArchives: a changed byte, a member the manifest does not list, a name leading out of the
// directory and a missing manifest are all refused, and leave the directory empty.
func TestDamagedArchives(t *testing.T) {
	fx := populate(t)
	archive, _ := writeArchive(t, Options{DataDir: fx.dir})
	keep := func(_ string, data []byte) []byte { return data }
	cases := map[string]struct {
		archive string
		want    string
	}{
		"flipped byte": {rewrite(t, archive, func(name string, data []byte) []byte {
			if strings.HasSuffix(name, "_udf.jar") {
				data[100] ^= 1
			}
			return data
		}, nil), "damaged"},
		"unlisted member": {rewrite(t, archive, keep, map[string]string{"tls/extra.pem": "x"}), "does not list"},
		"escaping name":   {rewrite(t, archive, keep, map[string]string{"blobs/resources/../../../evil": "x"}), "does not"},
		"no manifest": {rewrite(t, archive, func(name string, data []byte) []byte {
			if name == ManifestName {
				return nil
			}
			return data
		}, nil), "no manifest"},
	}
	for name, c := range cases {
		dir := t.TempDir()
		if _, err := restore(t, c.archive, dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: restore: %v, want %q", name, err, c.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: a failed restore left %v", name, entries)
		}
		if _, err := verifyFile(t, c.archive); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

// TestFileEscape holds fileEscape to package fileblob's naming: keys fileblob stores under another name
// are found.
func TestFileEscape(t *testing.T) {
	dir := t.TempDir()
	w, err := fileblob.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	keys := []string{"resources/1/u_x.attrs", "resources/1/u_a~", "resources/1/u_b.0123456789abcdef.tmp", "resources/1/u___0x2f__", "resources/1/u_é plain"}
	for _, k := range keys {
		if _, err := w.Put(t.Context(), k, strings.NewReader(k), int64(len(k))); err != nil {
			t.Fatal(err)
		}
	}
	r, err := openBlobDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, k := range keys {
		body, err := r.Open(t.Context(), k)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		got, _ := io.ReadAll(body)
		body.Close()
		if string(got) != k {
			t.Errorf("%s: read %q", k, got)
		}
	}
}
