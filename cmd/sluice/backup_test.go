package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/sluicetest"
)

// TestBackupCommands backs up a running server's data directory, verifies the archive and restores it.
func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	srv := sluicetest.NewServer(t, sluicetest.Options{DataDir: dir})
	if _, err := srv.Client().CreateProject(t.Context(), "sales_dw", "", ""); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	_, stderr, err := execute(t, "backup", "--data-dir", dir, "-o", archive)
	if err != nil || !strings.Contains(stderr, "1 projects") || !strings.Contains(stderr, "holds the master key") {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	if _, _, err := execute(t, "backup", "--data-dir", dir, "-o", archive); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if out, _, err := execute(t, "backup", "--verify", archive); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if _, stderr, err := execute(t, "restore", "--data-dir", restored, archive); err != nil || !strings.Contains(stderr, "sluice serve --data-dir") {
		t.Fatalf("restore: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(restored, "sluice.db")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := execute(t, "restore", "--data-dir", restored, archive); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a non-empty directory: %v", err)
	}
	t.Setenv(envvar.Database, "postgres://postgres@127.0.0.1/x")
	if _, _, err := execute(t, "backup", "-o", filepath.Join(t.TempDir(), "c.tar.gz")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of a PostgreSQL deployment: %v", err)
	}
}
