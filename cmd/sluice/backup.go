package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/backup"
	"github.com/sluice-dev/sluice/envvar"
	"github.com/sluice-dev/sluice/server"
)

// newBackupCommands are `sluice backup` and `sluice restore`.
func newBackupCommands() []*cobra.Command {
	return []*cobra.Command{newBackupCommand(), newRestoreCommand()}
}

func newBackupCommand() *cobra.Command {
	var opts backup.Options
	var output, verify string
	cmd := &cobra.Command{
		Use:   "backup --data-dir DIR -o FILE | --verify FILE",
		Short: "Write a consistent archive of an embedded deployment, while its server runs",
		Long: "Write one .tar.gz holding a consistent snapshot of an embedded deployment — the SQLite database, the\n" +
			"resource bytes of the file blob store, the master key, the root credentials and the self-signed TLS\n" +
			"files — while the server keeps serving. Run it on the server's machine; it needs only the data directory\n" +
			"(and the server's " + envvar.Database + " and " + envvar.Blob + ", if set). The archive holds the master key, which\n" +
			"unseals every access key's secret: protect it like the data directory, or leave the key out with\n" +
			"--without-master-key and keep it apart. PostgreSQL and S3 deployments are refused: see\n" +
			"docs/operations.md, \"Backup and restore\". -o - writes to standard output.\n\n" +
			"  sluice backup --data-dir /var/lib/sluice -o sluice-$(date +%F).tar.gz\n" +
			"  sluice backup --verify sluice-2026-01-31.tar.gz",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			stderr := cmd.ErrOrStderr()
			if verify != "" {
				if output != "" {
					return errors.New("--verify reads an archive: give no -o")
				}
				f, err := openInput(cmd, verify)
				if err != nil {
					return err
				}
				defer f.Close()
				m, err := backup.Verify(cmd.Context(), f)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: OK, %s\n", verify, summary(m))
				return nil
			}
			if output == "" {
				return errors.New("name the archive to write with -o FILE (- for standard output)")
			}
			env := server.DefaultConfig()
			if err := env.FromEnv(); err != nil {
				return err
			}
			f := cmd.Flags()
			if !f.Changed("data-dir") {
				opts.DataDir = env.DataDir
			}
			if !f.Changed("database") {
				opts.Database = env.Database
			}
			if !f.Changed("blob") {
				opts.Blob = env.Blob
			}
			if _, _, err := opts.Paths(); err != nil { // refuse PostgreSQL and S3 before creating anything
				return err
			}
			opts.Sluice = buildVersion()
			opts.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }

			var w io.Writer = cmd.OutOrStdout()
			var out *os.File
			if output != "-" {
				if _, err := os.Lstat(output); err == nil {
					return fmt.Errorf("%s exists: name a new file", output)
				}
				// Written aside and renamed when complete: a failed backup leaves no file that looks whole.
				var err error
				if out, err = os.CreateTemp(filepath.Dir(output), "."+filepath.Base(output)+".partial-*"); err != nil {
					return err
				}
				defer os.Remove(out.Name())
				defer out.Close()
				w, opts.TempDir = out, filepath.Dir(output)
			}
			m, err := backup.Create(cmd.Context(), w, opts)
			if err != nil {
				return err
			}
			if out != nil {
				if err := out.Sync(); err != nil {
					return err
				}
				if err := out.Close(); err != nil {
					return err
				}
				if err := os.Rename(out.Name(), output); err != nil {
					return err
				}
			}
			fmt.Fprintf(stderr, "Wrote %s: %s.\n", output, summary(m))
			if m.MasterKey {
				fmt.Fprintln(stderr, "The archive holds the master key: keep it as safe as the data directory.")
			} else {
				fmt.Fprintf(stderr, "The archive holds no master key: keep the key (fingerprint %s) to restore it.\n", m.MasterKeyFingerprint)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.DataDir, "data-dir", "", "the server's data directory ("+envvar.DataDir+", default ./sluice-data)")
	f.StringVar(&opts.Database, "database", "", "the server's database, if not DATA_DIR/sluice.db: sqlite:PATH ("+envvar.Database+")")
	f.StringVar(&opts.Blob, "blob", "", "the server's blob store, if not DATA_DIR/blobs: file:///dir ("+envvar.Blob+")")
	f.StringVarP(&output, "output", "o", "", "the archive to write (a new file), - for standard output")
	f.BoolVar(&opts.WithoutMasterKey, "without-master-key", false, "leave master.key and root-credentials out of the archive")
	f.StringVar(&verify, "verify", "", "check an archive instead: every checksum, the database's integrity, every resource's bytes")
	return cmd
}

func newRestoreCommand() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "restore --data-dir NEWDIR FILE",
		Short: "Restore an archive of `sluice backup` into a new data directory",
		Long: "Restore an archive written by `sluice backup` into a new or empty data directory, checking every member's\n" +
			"SHA-256, the database's integrity and every resource's bytes first; on any failure the directory is left\n" +
			"empty. Then start the server on it: sluice serve --data-dir NEWDIR. FILE - reads standard input.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return errors.New("name the directory to restore into with --data-dir")
			}
			in, err := openInput(cmd, args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			m, err := backup.Restore(cmd.Context(), in, dir)
			if err != nil {
				return err
			}
			w := cmd.ErrOrStderr()
			fmt.Fprintf(w, "Restored %s into %s: %s.\n", args[0], dir, summary(m))
			if !m.MasterKey {
				fmt.Fprintf(w, "The archive holds no master key: put the key (fingerprint %s) in %s or set %s before starting.\n",
					m.MasterKeyFingerprint, filepath.Join(dir, backup.MasterKeyName), envvar.MasterKey)
			}
			fmt.Fprintf(w, "Start the server with: sluice serve --data-dir %s\n", dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data-dir", "", "the directory to restore into (new or empty)")
	return cmd
}

// openInput opens name, or standard input for "-".
func openInput(cmd *cobra.Command, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(cmd.InOrStdin()), nil
	}
	return os.Open(name)
}

func summary(m *backup.Manifest) string {
	return fmt.Sprintf("snapshot of %s, schema version %d, %d projects, %d files, %d resources with bytes",
		m.Created.Format("2006-01-02 15:04:05 UTC"), m.SchemaVersion, m.Counts["projects"], m.Counts["files"], m.Counts["blobs"])
}
