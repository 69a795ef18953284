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
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sluice-dev/sluice/blob/fileblob"
	"github.com/sluice-dev/sluice/sqlstore"
)

// Restore brings the archive read from r back into dataDir, which must be empty or not exist yet, and
// returns its manifest. It checks every member against the manifest's SHA-256, the database with SQLite's
// integrity check and every READY resource's bytes against the SHA-256 its row records, and opens the
// database as the server does (applying the migrations a newer server has). Whatever fails, dataDir is
// left empty again: a directory is restored whole or not at all.
func Restore(ctx context.Context, r io.Reader, dataDir string) (m *Manifest, err error) {
	if dataDir == "" {
		return nil, errors.New("name the data directory to restore into")
	}
	created := false
	switch entries, err := os.ReadDir(dataDir); {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, err
		}
		created = true
	case err != nil:
		return nil, err
	case len(entries) > 0:
		return nil, fmt.Errorf("%s is not empty: restore into a new or empty directory", dataDir)
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err == nil {
			return
		}
		if created {
			os.RemoveAll(abs)
			return
		}
		entries, _ := os.ReadDir(abs)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(abs, e.Name()))
		}
	}()
	// Files other than bytes are written aside and moved into place once all is checked; bytes go
	// straight into the blob store (written as the server writes them, fsynced), which nothing reads
	// before the database is in place.
	staging, err := os.MkdirTemp(abs, ".restore-")
	if err != nil {
		return nil, err
	}
	store, err := fileblob.New(filepath.Join(abs, "blobs"))
	if err != nil {
		return nil, err
	}
	defer store.Close()
	m, seen, err := readArchive(r, func(name string, size int64, body io.Reader) error {
		if key, ok := strings.CutPrefix(name, blobPrefix); ok {
			_, err := store.Put(ctx, key, body, size)
			return err
		}
		return writeFile(filepath.Join(staging, filepath.FromSlash(name)), body)
	})
	if err != nil {
		return nil, err
	}
	dbPath := filepath.Join(staging, DatabaseName)
	if err := checkDatabase(ctx, dbPath, m, seen); err != nil {
		return nil, err
	}
	if m.MasterKey {
		data, err := os.ReadFile(filepath.Join(staging, MasterKeyName))
		if err != nil {
			return nil, err
		}
		if fp, err := fingerprint(data); err != nil || (m.MasterKeyFingerprint != "" && fp != m.MasterKeyFingerprint) {
			return nil, fmt.Errorf("the archive's master key is not the one its database was created with")
		}
	}
	for _, mb := range m.Members {
		if key, ok := strings.CutPrefix(mb.Name, blobPrefix); ok && mb.Unreferenced {
			if err := store.Delete(ctx, key); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range []string{DatabaseName, MasterKeyName, RootCredentialsName, TLSDirName} {
		if err := os.Rename(filepath.Join(staging, name), filepath.Join(abs, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.RemoveAll(staging); err != nil {
		return nil, err
	}
	if err := syncDir(abs); err != nil {
		return nil, err
	}
	// Open it as the server will: a schema newer than this program is refused here rather than at start.
	db, err := sqlstore.Open(ctx, filepath.Join(abs, DatabaseName))
	if err != nil {
		return nil, fmt.Errorf("open the restored database: %w", err)
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

// Verify reads a whole archive and checks it as Restore does, without writing a data directory (the
// database is extracted to a temporary directory to be checked).
func Verify(ctx context.Context, r io.Reader) (*Manifest, error) {
	tmp, err := os.MkdirTemp("", "sluice-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dbPath := filepath.Join(tmp, DatabaseName)
	m, seen, err := readArchive(r, func(name string, size int64, body io.Reader) error {
		if name == DatabaseName {
			return writeFile(dbPath, body)
		}
		_, err := io.Copy(io.Discard, body)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkDatabase(ctx, dbPath, m, seen); err != nil {
		return nil, err
	}
	return m, nil
}

// readArchive reads an archive, hands every member but the manifest to put, and checks them all against
// the manifest, which must come last.
func readArchive(r io.Reader, put func(name string, size int64, body io.Reader) error) (*Manifest, map[string]Member, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not a sluice backup (not gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	seen := map[string]Member{}
	var m *Manifest
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read the archive: %w", err)
		}
		if m != nil {
			return nil, nil, fmt.Errorf("the archive has %s after its manifest", hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, nil, fmt.Errorf("the archive member %s is not a regular file", hdr.Name)
		}
		if hdr.Name == ManifestName {
			m = new(Manifest)
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(m); err != nil {
				return nil, nil, fmt.Errorf("read the manifest: %w", err)
			}
			continue
		}
		if err := checkName(hdr.Name); err != nil {
			return nil, nil, err
		}
		if _, dup := seen[hdr.Name]; dup {
			return nil, nil, fmt.Errorf("the archive holds %s twice", hdr.Name)
		}
		h := sha256.New()
		body := &countingReader{r: io.TeeReader(tr, h)}
		if err := put(hdr.Name, hdr.Size, body); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
		if _, err := io.Copy(io.Discard, body); err != nil { // whatever put left, so the checksum covers it all
			return nil, nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
		seen[hdr.Name] = Member{Name: hdr.Name, Size: body.n, SHA256: hex.EncodeToString(h.Sum(nil))}
	}
	if m == nil {
		return nil, nil, errors.New("the archive has no manifest: it is incomplete or not a sluice backup")
	}
	if m.Format < 1 || m.Format > Format {
		return nil, nil, fmt.Errorf("the archive is in format %d; this program reads format %d: use a newer sluice", m.Format, Format)
	}
	listed := map[string]bool{}
	for _, mb := range m.Members {
		got, ok := seen[mb.Name]
		switch {
		case !ok:
			return nil, nil, fmt.Errorf("the archive lacks %s, which its manifest lists", mb.Name)
		case got.Size != mb.Size || got.SHA256 != mb.SHA256:
			return nil, nil, fmt.Errorf("%s is damaged: SHA-256 %s (%d bytes), the manifest says %s (%d bytes)", mb.Name, got.SHA256, got.Size, mb.SHA256, mb.Size)
		}
		listed[mb.Name] = true
	}
	for name := range seen {
		if !listed[name] {
			return nil, nil, fmt.Errorf("the archive holds %s, which its manifest does not list", name)
		}
	}
	if _, ok := seen[DatabaseName]; !ok {
		return nil, nil, fmt.Errorf("the archive holds no %s", DatabaseName)
	}
	return m, seen, nil
}

// checkName accepts only the members an archive may hold, so that no name can lead out of the directory
// restored into.
func checkName(name string) error {
	switch name {
	case DatabaseName, MasterKeyName, RootCredentialsName:
		return nil
	}
	bad := path.Clean(name) != name || strings.Contains(name, "\\") || strings.HasPrefix(name, "/")
	if key, ok := strings.CutPrefix(name, blobPrefix); ok && !bad && strings.HasPrefix(key, "resources/") {
		return nil
	}
	if f, ok := strings.CutPrefix(name, TLSDirName+"/"); ok && !bad && f != "" && f != "." && f != ".." && !strings.Contains(f, "/") {
		return nil
	}
	return fmt.Errorf("the archive holds %q, which a sluice backup does not", name)
}

// checkDatabase runs SQLite's integrity check on the extracted database and checks that every READY
// resource's bytes are in the archive with the SHA-256 its row records.
func checkDatabase(ctx context.Context, dbPath string, m *Manifest, seen map[string]Member) error {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check the database: %w", err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check the database: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("the archive's database fails SQLite's integrity check: %s", strings.Join(problems, "; "))
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return fmt.Errorf("read the archive's schema version: %w", err)
	}
	if version != m.SchemaVersion {
		return fmt.Errorf("the archive's database has schema version %d, its manifest says %d", version, m.SchemaVersion)
	}
	refs, err := readRefs(ctx, db)
	if err != nil {
		return err
	}
	unreferenced := map[string]bool{}
	for _, mb := range m.Members {
		unreferenced[mb.Name] = mb.Unreferenced
	}
	for key, r := range refs {
		got, ok := seen[blobPrefix+key]
		switch {
		case !ok || unreferenced[blobPrefix+key]:
			return fmt.Errorf("the archive lacks the bytes of resource %s (project %d), %s", r.name, r.project, key)
		case got.SHA256 != r.sha256:
			return fmt.Errorf("the bytes of resource %s (project %d) have the SHA-256 %s, not the %s recorded", r.name, r.project, got.SHA256, r.sha256)
		}
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// writeFile writes body to a new file at p (mode 0600, its directory made), fsynced.
func writeFile(p string, body io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
