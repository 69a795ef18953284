// Package backup writes and restores a consistent archive of an embedded Sluice deployment — the SQLite
// database, the resource bytes of a file blob store, and what the data directory needs besides to come back
// (the master key, the root credentials, the self-signed TLS authority) — while the server keeps serving.
//
// An archive is one gzip-compressed tar file:
//
//	blobs/resources/PROJECT/UUID_NAME   the bytes of every READY resource, by blob key
//	sluice.db                           a consistent copy of the database (SQLite's online backup)
//	master.key, root-credentials        unless left out (Options.WithoutMasterKey)
//	tls/...                             the self-signed setup's files, when there are any
//	manifest.json                       last: format, schema version, counts, and every member's SHA-256
//
// PostgreSQL and S3 deployments are refused: their own tools back them up (docs/operations.md).
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	gcfileblob "gocloud.dev/blob/fileblob"
	"modernc.org/sqlite" // the driver the server itself uses

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/blob"
	"github.com/sluice-dev/sluice/seal"
)

// Format is the archive format this package writes and reads.
const Format = 1

// Names inside an archive and inside a data directory.
const (
	ManifestName        = "manifest.json"
	DatabaseName        = "sluice.db"
	MasterKeyName       = "master.key"
	RootCredentialsName = "root-credentials"
	TLSDirName          = "tls"
	blobPrefix          = "blobs/"
)

// masterKeySetting is the settings row where the core records the master key's fingerprint (core.go).
const masterKeySetting = "master_key_fingerprint"

// maxSnapshots bounds how often Create takes a newer snapshot because resources were removed meanwhile.
const maxSnapshots = 10

// Test hooks: testHookSnapshot runs after a snapshot's keys are read and before they are opened,
// testHookCopied after each blob is copied.
var (
	testHookSnapshot func()
	testHookCopied   func(key string)
)

// Manifest describes an archive. It is its last member, so it can list every other member's checksum.
type Manifest struct {
	Format        int       `json:"format"`
	SchemaVersion int       `json:"schema_version"` // the database's highest applied migration
	Created       time.Time `json:"created"`        // when the database snapshot was taken
	Sluice        string    `json:"sluice,omitempty"`
	// MasterKey reports whether master.key is in the archive; MasterKeyFingerprint is the fingerprint
	// the database was created with, whichever way the key is supplied.
	MasterKey            bool             `json:"master_key"`
	MasterKeyFingerprint string           `json:"master_key_fingerprint,omitempty"`
	Snapshots            int              `json:"snapshots"` // how many snapshots it took (see Create)
	Counts               map[string]int64 `json:"counts"`
	Members              []Member         `json:"members"`
}

// Member is one file of an archive. Unreferenced marks bytes copied for an earlier snapshot that the final
// one no longer holds (their resource was removed while the backup ran): restore checks and skips them.
type Member struct {
	Name         string `json:"name"`
	Size         int64  `json:"size"`
	SHA256       string `json:"sha256"`
	Unreferenced bool   `json:"unreferenced,omitempty"`
}

// Options name the deployment to back up.
type Options struct {
	DataDir string
	// Database is the server's database setting: empty for DataDir/sluice.db, or sqlite:PATH / file:PATH.
	// A postgres:// URL is refused.
	Database string
	// Blob is the server's blob store setting: empty for DataDir/blobs, or file:///dir. s3:// is refused.
	Blob string
	// WithoutMasterKey leaves master.key and root-credentials out of the archive.
	WithoutMasterKey bool
	// TempDir holds the database snapshot while the archive is written (default os.TempDir()). Put it
	// on the file system of the archive: the snapshot is about as large as the database.
	TempDir string
	// Sluice is the version of the program writing the archive, recorded in the manifest.
	Sluice string
	// Logf, when set, reports progress.
	Logf func(format string, args ...any)
}

// ErrNotEmbedded is the error for deployments whose database or blob store is not local.
var ErrNotEmbedded = errors.New("not an embedded deployment")

// Paths resolves where the database and the blob directory of a deployment are, refusing PostgreSQL and
// S3 with what to use instead.
func (o Options) Paths() (dbPath, blobDir string, err error) {
	if o.DataDir == "" {
		return "", "", errors.New("name the data directory")
	}
	switch db := o.Database; {
	case db == "":
		dbPath = filepath.Join(o.DataDir, DatabaseName)
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return "", "", fmt.Errorf("%w: the database is PostgreSQL; back it up with pg_dump or pg_basebackup "+
			"(and the blob store after it), see docs/operations.md, \"Backup and restore\"", ErrNotEmbedded)
	default: // the forms sqlstore.Open takes for SQLite
		p := strings.TrimPrefix(strings.TrimPrefix(db, "sqlite:"), "file:")
		p = strings.TrimPrefix(p, "//")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		dbPath = p
	}
	switch b := o.Blob; {
	case b == "":
		blobDir = filepath.Join(o.DataDir, "blobs")
	default:
		u, perr := url.Parse(b)
		if perr != nil || (u.Scheme != "file" && u.Scheme != "s3") {
			return "", "", fmt.Errorf("blob store %q: use file:///dir or leave it empty", blob.Redact(b))
		}
		if u.Scheme == "s3" {
			return "", "", fmt.Errorf("%w: the blob store is S3 (%s); protect it with the store's versioning or "+
				"replication after backing up the database, see docs/operations.md, \"Backup and restore\"", ErrNotEmbedded, blob.Redact(b))
		}
		blobDir = filepath.FromSlash(u.Path)
	}
	return dbPath, blobDir, nil
}

// Create writes an archive of the deployment to w while its server keeps serving, and returns its manifest.
//
// Consistency. The database is copied by SQLite's online backup, in one step, inside a read transaction
// of a connection of its own (see snapshot): the copy is the database as of one instant, while the server's
// writers go on (WAL mode). The bytes are copied after that snapshot, only those its READY resources hold.
// This order is the right one because of how the core uses the blob store:
//   - bytes are published before the row that makes them READY commits (PutResource, and an upload's
//     copy, write the blob first), so every key a snapshot holds was in the store when it was taken;
//   - a key is written once (each upload gets a new UUID key; a replacement gets its own), so bytes read
//     later are the bytes the snapshot recorded — checked against the SHA-256 in the resource's row;
//   - bytes are removed only after the change that stops a row from holding them commits (a deletion,
//     a replacement, the hourly sweep of keys no row holds).
//
// Copying blobs first and the database second would instead miss what was uploaded in between. The one
// race left is a resource removed after the snapshot whose bytes go before they are opened (an open file
// keeps its bytes; snapshot opens the first keys before it even copies the pages): its key is then
// missing. Create takes a newer snapshot (which no longer holds that key) and copies only the keys it
// holds that are not in the archive yet — few, and only those written since — until a snapshot's keys are
// all there. Bytes already copied that the final snapshot no longer holds are marked unreferenced in the
// manifest and not restored. A key missing although the next snapshot still holds it was lost from the
// store, not removed by a change (removal follows the commit, which that snapshot would see): Create fails
// rather than write an archive that restores to a resource without bytes.
//
// The nonce database (sluice.db-nonces) is not copied: the running server holds it in exclusive locking
// mode, and its rows only stop a signed request from being accepted twice within the 15-minute window of
// its timestamp, after which the signature check refuses it anyway.
func Create(ctx context.Context, w io.Writer, opts Options) (*Manifest, error) {
	dbPath, blobDir, err := opts.Paths()
	if err != nil {
		return nil, err
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if fi, err := os.Stat(dbPath); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("no SQLite database at %s: name the data directory of an embedded deployment "+
			"(a PostgreSQL deployment is backed up with pg_dump, see docs/operations.md)", dbPath)
	}
	tmp, err := os.MkdirTemp(opts.TempDir, "sluice-backup-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	// The server's own driver, beside the server: WAL lets this reader run while it writes. mode=rw does not
	// create a missing file (read-only would fail where the WAL index needs writing); query_only makes sure
	// this connection never writes.
	src, err := sql.Open("sqlite", "file:"+dbPath+"?mode=rw&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)

	// Fastest compression: resource bytes (jars, wheels, archives) are mostly compressed already, and the
	// database still shrinks well; a slower level would make the backup CPU-bound for little.
	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	arch := &archiveWriter{tw: tw}
	var store blobReader

	m := &Manifest{Format: Format, Sluice: opts.Sluice}
	copied := map[string]bool{} // blob keys in the archive
	var snapPath string
	var refs map[string]ref
	var lost map[string]bool // keys found missing after the previous snapshot
	for round := 1; ; round++ {
		if round > maxSnapshots {
			return nil, fmt.Errorf("resources kept being removed while their bytes were copied (%d snapshots); run the backup again", maxSnapshots)
		}
		if round > 1 {
			os.Remove(snapPath)
		}
		snapPath = filepath.Join(tmp, fmt.Sprintf("snapshot-%d.db", round))
		if store == nil {
			b, err := openBlobDir(blobDir)
			switch {
			case err != nil:
				return nil, err
			case b == nil: // every key is missing, and found so twice, lost
				store = noBlobs{}
			default:
				defer b.Close()
				store = b
			}
		}
		snap, err := snapshot(ctx, src, snapPath, store, copied)
		if err != nil {
			return nil, err
		}
		m.Created, m.Snapshots, refs = snap.taken, round, snap.refs
		logf("snapshot %d: %d resources hold bytes, %d to copy", round, len(refs), len(snap.keys))
		missing := snap.missing
		for _, key := range snap.keys {
			r := refs[key]
			body := snap.pinned[key]
			delete(snap.pinned, key)
			if body == nil && !missing[key] {
				if body, err = store.Open(ctx, key); sluice.ErrorCode(err) == sluice.ENOTFOUND {
					missing[key] = true
				} else if err != nil {
					snap.close()
					return nil, err
				}
			}
			if missing[key] {
				if lost[key] {
					snap.close()
					return nil, fmt.Errorf("resource %s (project %d) is READY but its bytes (%s) are missing from the blob store %s: "+
						"the store has lost them; remove or upload that resource again, then back up", r.name, r.project, key, blobDir)
				}
				continue
			}
			sum, err := arch.add(blobPrefix+key, r.size, body)
			body.Close()
			if err != nil {
				snap.close()
				return nil, fmt.Errorf("copy the bytes of resource %s (project %d): %w", r.name, r.project, err)
			}
			if sum != r.sha256 {
				snap.close()
				return nil, fmt.Errorf("the bytes of resource %s (project %d) in %s have the SHA-256 %s, not the %s recorded: the blob store is damaged",
					r.name, r.project, key, sum, r.sha256)
			}
			copied[key] = true
			if testHookCopied != nil {
				testHookCopied(key)
			}
		}
		if len(missing) == 0 {
			break
		}
		logf("%d resources were removed while their bytes were copied; taking a newer snapshot", len(missing))
		lost = missing
	}
	for i := range arch.members {
		mb := &arch.members[i]
		if key, ok := strings.CutPrefix(mb.Name, blobPrefix); ok {
			if _, held := refs[key]; !held {
				mb.Unreferenced = true
			}
		}
	}

	// The database and what the data directory holds besides.
	if m.SchemaVersion, m.Counts, m.MasterKeyFingerprint, err = describe(ctx, snapPath); err != nil {
		return nil, err
	}
	m.Counts["blobs"] = int64(len(refs))
	if err := arch.addFile(DatabaseName, snapPath); err != nil {
		return nil, err
	}
	if !opts.WithoutMasterKey {
		keyPath := filepath.Join(opts.DataDir, MasterKeyName)
		data, err := os.ReadFile(keyPath)
		switch {
		case errors.Is(err, os.ErrNotExist):
			logf("no %s in the data directory (the server takes its key from SLUICE_MASTER_KEY): keep that key with the archive", MasterKeyName)
		case err != nil:
			return nil, err
		default:
			if fp, err := fingerprint(data); err != nil {
				return nil, fmt.Errorf("%s: %w", keyPath, err)
			} else if m.MasterKeyFingerprint != "" && fp != m.MasterKeyFingerprint {
				return nil, fmt.Errorf("%s (fingerprint %s) is not the key the database was created with (fingerprint %s): "+
					"the server takes its key from elsewhere (SLUICE_MASTER_KEY); back up with --without-master-key and keep that key", keyPath, fp, m.MasterKeyFingerprint)
			}
			if err := arch.addFile(MasterKeyName, keyPath); err != nil {
				return nil, err
			}
			m.MasterKey = true
		}
		if err := arch.addFile(RootCredentialsName, filepath.Join(opts.DataDir, RootCredentialsName)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	tlsDir := filepath.Join(opts.DataDir, TLSDirName)
	if entries, err := os.ReadDir(tlsDir); err == nil {
		for _, e := range entries {
			if e.Type().IsRegular() {
				if err := arch.addFile(TLSDirName+"/"+e.Name(), filepath.Join(tlsDir, e.Name())); err != nil {
					return nil, err
				}
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	m.Members = arch.members
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(data)), ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(data); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

// pinLimit is how many blobs a snapshot opens before the database is copied (see snapshot).
const pinLimit = 256

// snap is one snapshot of the database: the READY resources' keys, those not copied yet (sorted) and the
// first of them already opened (pinned) or found missing.
type snap struct {
	taken   time.Time
	refs    map[string]ref
	keys    []string
	pinned  map[string]io.ReadCloser
	missing map[string]bool
}

func (s *snap) close() {
	for _, b := range s.pinned {
		b.Close()
	}
	s.pinned = nil
}

// snapshot copies the database to path as of one instant, with SQLite's online backup in a single step
// inside a read transaction of the backup's own connection (WAL: the server's writers go on meanwhile).
// In that same transaction, before the pages are copied, it reads the READY resources' keys and opens the
// first pinLimit of those not yet copied. An open file keeps its bytes after the server removes it, so a
// resource replaced or deleted right after the snapshot can only lose its bytes in the moment between the
// read and the open, not for as long as copying the database takes (which a VACUUM INTO, run as a
// statement of its own, would add).
func snapshot(ctx context.Context, src *sql.DB, path string, store blobReader, copied map[string]bool) (s *snap, err error) {
	conn, err := src.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapshot the database: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("snapshot the database: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") // it only read
	s = &snap{taken: time.Now().UTC(), pinned: map[string]io.ReadCloser{}, missing: map[string]bool{}}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.refs, err = readRefs(ctx, conn); err != nil { // the first read: the transaction's instant
		return nil, err
	}
	for k := range s.refs {
		if !copied[k] {
			s.keys = append(s.keys, k)
		}
	}
	slices.Sort(s.keys)
	if testHookSnapshot != nil {
		testHookSnapshot()
	}
	for _, key := range s.keys[:min(len(s.keys), pinLimit)] {
		body, err := store.Open(ctx, key)
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			s.missing[key] = true
			continue
		}
		if err != nil {
			return nil, err
		}
		s.pinned[key] = body
	}
	err = conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(dstURI string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no online backup")
		}
		bk, err := b.NewBackup(path)
		if err != nil {
			return err
		}
		// One step copies every page under the transaction's read lock: nothing written since is seen.
		if _, err := bk.Step(-1); err != nil {
			bk.Finish()
			return err
		}
		return bk.Finish()
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot the database: %w", err)
	}
	return s, nil
}

// ref is what a snapshot records of a READY resource's bytes.
type ref struct {
	project int64
	name    string
	size    int64
	sha256  string
}

// readRefs lists the blob keys the READY resources of the snapshot at path hold. Resources still
// UPLOADING are not READY: their job, restored with them, copies them again from their source.
func readRefs(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]ref, error) {
	rows, err := db.QueryContext(ctx, "SELECT blob_key, project_id, name, size, sha256 FROM resources WHERE status = ? AND blob_key <> ''", string(sluice.UploadReady))
	if err != nil {
		return nil, fmt.Errorf("read the snapshot's resources: %w", err)
	}
	defer rows.Close()
	refs := map[string]ref{}
	for rows.Next() {
		var key string
		var r ref
		if err := rows.Scan(&key, &r.project, &r.name, &r.size, &r.sha256); err != nil {
			return nil, err
		}
		refs[key] = r
	}
	return refs, rows.Err()
}

// counted are the tables whose row counts a manifest records.
var counted = []string{"projects", "users", "access_keys", "files", "file_versions", "resources", "packages"}

// describe reads a snapshot's schema version, its counts and the master key fingerprint it records.
func describe(ctx context.Context, path string) (version int, counts map[string]int64, fp string, err error) {
	db, err := openSnapshot(path)
	if err != nil {
		return 0, nil, "", err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return 0, nil, "", fmt.Errorf("read the schema version: %w", err)
	}
	counts = map[string]int64{}
	for _, t := range counted {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t).Scan(&n); err == nil { // a table an older schema lacks is left out
			counts[t] = n
		}
	}
	err = db.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = ?", masterKeySetting).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return version, counts, fp, err
}

func openSnapshot(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// fingerprint is the fingerprint of the master key written in data, as the core records it.
func fingerprint(data []byte) (string, error) {
	key, err := seal.ParseKey(string(data))
	if err != nil {
		return "", err
	}
	box, err := seal.New(key)
	if err != nil {
		return "", err
	}
	return box.Fingerprint(), nil
}

// openBlobDir opens a live server's blob directory for reading, nil if there is none. It does not use fileblob.New, which
// removes temporary files older than its start: those of the server's uploads in flight.
func openBlobDir(dir string) (*blob.Bucket, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if !filepath.IsAbs(dir) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		dir = abs
	}
	b, err := gcfileblob.OpenBucket(dir, &gcfileblob.Options{NoTempDir: true, Metadata: gcfileblob.MetadataDontWrite})
	if err != nil {
		return nil, fmt.Errorf("blob directory %s: %w", dir, err)
	}
	return blob.NewBucket(b, blob.Options{Escape: fileEscape}), nil
}

// blobReader is what a backup needs of the blob store.
type blobReader interface {
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// noBlobs stands for a blob directory that does not exist: every key is missing.
type noBlobs struct{}

func (noBlobs) Open(_ context.Context, key string) (io.ReadCloser, error) {
	return nil, sluice.Errorf(sluice.ENOTFOUND, "blob %q not found: no blob directory", key)
}

// fileEscape is package fileblob's key escape (a key gocloud would take for its own file gets a "~"),
// which fileblob does not export; TestFileEscape holds the two together.
func fileEscape(key string) string {
	if strings.HasSuffix(key, ".attrs") || tempFile.MatchString(key) || strings.HasSuffix(key, "~") {
		return key + "~"
	}
	return key
}

var tempFile = regexp.MustCompile(`\.([0-9a-f]{8,16})\.tmp$`)

// archiveWriter writes tar members and records their checksums.
type archiveWriter struct {
	tw      *tar.Writer
	members []Member
}

// add writes one member of the given size from r and returns its SHA-256.
func (a *archiveWriter) add(name string, size int64, r io.Reader) (string, error) {
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(a.tw, h), io.LimitReader(r, size+1))
	if err != nil {
		return "", err
	}
	if n != size {
		return "", fmt.Errorf("%s: %d bytes, not the %d expected", name, n, size)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	a.members = append(a.members, Member{Name: name, Size: size, SHA256: sum})
	return sum, nil
}

// addFile writes the file at path as the member name.
func (a *archiveWriter) addFile(name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = a.add(name, fi.Size(), f)
	return err
}
