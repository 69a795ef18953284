package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/native"
)

// newResourceCommand returns `sluice resource upload|ls|get|rm|download`: the resource centre through the
// native API, which streams bytes both ways (no object store needed).
func newResourceCommand() *cobra.Command {
	flags := &clientFlags{}
	cmd := &cobra.Command{Use: "resource", Short: "The resource centre: upload, list, show, download and remove jars, Python files, models and data files"}
	flags.registerConnection(cmd) // -o is the output format everywhere but in download, where it is the file
	var project, group, kind string
	cmd.PersistentFlags().StringVarP(&project, "project", "p", "", "project: name, numeric id or uuid (required)")
	cmd.PersistentFlags().StringVarP(&group, "group", "g", "", "resource group (none: ungrouped resources)")
	needProject := func(run func(cmd *cobra.Command, cl *native.Client, args []string) error) func(*cobra.Command, *native.Client, []string) error {
		return func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if project == "" {
				return errors.New("--project is required")
			}
			return run(cmd, cl, args)
		}
	}

	var noProgress bool
	upload := clientCommand(flags, "upload FILE...", "Upload files as resources of one kind, streaming their bytes", cobra.MinimumNArgs(1),
		needProject(func(cmd *cobra.Command, cl *native.Client, args []string) error {
			var done []native.Resource
			for _, path := range args {
				r, err := uploadFile(cmd, cl, project, group, kind, path, !noProgress && flags.output == "table" && onTerminal(cmd.ErrOrStderr()))
				if err != nil {
					return fmt.Errorf("upload %s: %w", path, err)
				}
				done = append(done, r)
			}
			return flags.print(cmd.OutOrStdout(), done, resourceHeaders, resourceRows(done...))
		}))
	upload.Flags().StringVar(&kind, "kind", "", "jar, pyFile, file or modelFile (required)")
	upload.MarkFlagRequired("kind")
	upload.Flags().BoolVar(&noProgress, "no-progress", false, "no progress bar, even on a terminal")

	var lsKind string
	ls := clientCommand(flags, "ls", "List the project's resources, groups and modules", cobra.NoArgs,
		needProject(func(cmd *cobra.Command, cl *native.Client, _ []string) error {
			l, err := cl.ListResources(cmd.Context(), project, lsKind, group)
			if err != nil {
				return err
			}
			all := append([]native.Resource(nil), l.Resources...)
			for _, g := range l.Groups {
				all = append(all, g.Resources...)
			}
			rows := resourceRows(all...)
			for _, m := range l.Modules {
				rows = append(rows, []string{m.Name + " (module)", "", m.Kind, "READY", "", "", "system", ""})
			}
			return flags.print(cmd.OutOrStdout(), l, resourceHeaders, rows)
		}))
	ls.Flags().StringVar(&lsKind, "kind", "", "only this kind")

	get := clientCommand(flags, "get NAME", "Show one resource", cobra.ExactArgs(1),
		needProject(func(cmd *cobra.Command, cl *native.Client, args []string) error {
			r, err := cl.GetResource(cmd.Context(), project, group, args[0])
			if err != nil {
				return err
			}
			return flags.print(cmd.OutOrStdout(), r, resourceHeaders, resourceRows(r))
		}))

	rm := clientCommand(flags, "rm NAME", "Remove a resource and its bytes", cobra.ExactArgs(1),
		needProject(func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if err := cl.DeleteResource(cmd.Context(), project, group, args[0]); err != nil {
				return err
			}
			return flags.done(cmd.OutOrStdout(), "Resource "+args[0]+" removed.")
		}))

	var out string
	download := clientCommand(flags, "download NAME", "Write a resource's stored bytes to a file (-o FILE)", cobra.ExactArgs(1),
		needProject(func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if out == "" {
				return errors.New("-o FILE is required (- for standard output)")
			}
			return downloadFile(cmd, cl, project, group, args[0], out)
		}))
	// -o names the file here, as curl and wget have it; the output format keeps its long name.
	download.Flags().StringVarP(&out, "file", "o", "", "file to write, - for standard output (required)")

	for _, c := range []*cobra.Command{upload, ls, get, rm} {
		flags.registerOutput(c.Flags())
	}
	cmd.AddCommand(upload, ls, get, rm, download)
	return cmd
}

var resourceHeaders = []string{"NAME", "GROUP", "KIND", "STATUS", "SIZE", "SHA256", "OWNER", "UPDATED"}

func resourceRows(rs ...native.Resource) [][]string {
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		status := r.Status
		if r.Reason != "" {
			status += ": " + r.Reason
		}
		sum := r.SHA256
		if len(sum) > 12 {
			sum = sum[:12]
		}
		rows = append(rows, []string{r.Name, r.Group, r.Kind, status, strconv.FormatInt(r.Size, 10), sum, r.Owner, ts(r.UpdatedAt)})
	}
	return rows
}

// uploadFile streams one file. The request is signed with the file's SHA-256, so the file is read twice:
// once to hash it, once to send it; neither read holds it in memory.
func uploadFile(cmd *cobra.Command, cl *native.Client, project, group, kind, path string, progress bool) (native.Resource, error) {
	f, err := os.Open(path)
	if err != nil {
		return native.Resource{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return native.Resource{}, err
	}
	if !st.Mode().IsRegular() {
		return native.Resource{}, errors.New("not a regular file")
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return native.Resource{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return native.Resource{}, err
	}
	var body io.Reader = f
	if progress {
		bar := progressbar.NewOptions64(st.Size(),
			progressbar.OptionSetWriter(cmd.ErrOrStderr()),
			progressbar.OptionSetDescription(filepath.Base(path)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100_000_000), // 100 ms between redraws
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(cmd.ErrOrStderr()) }),
			progressbar.OptionFullWidth())
		r := progressbar.NewReader(f, bar)
		body = &r
	}
	return cl.UploadResource(cmd.Context(), project, group, kind, filepath.Base(path), body, st.Size(), hex.EncodeToString(h.Sum(nil)))
}

// downloadFile writes a resource's bytes to path, through a temporary file that becomes path only once the
// bytes arrived whole and their SHA-256 is the one the server recorded.
func downloadFile(cmd *cobra.Command, cl *native.Client, project, group, name, path string) error {
	h := sha256.New()
	if path == "-" {
		_, sum, err := cl.DownloadResource(cmd.Context(), project, group, name, io.MultiWriter(cmd.OutOrStdout(), h))
		if err != nil {
			return err
		}
		return checkSum(sum, h.Sum(nil))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	n, sum, err := cl.DownloadResource(cmd.Context(), project, group, name, io.MultiWriter(tmp, h))
	if err == nil {
		err = checkSum(sum, h.Sum(nil))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d bytes written to %s\n", name, n, path)
	return nil
}

func checkSum(want string, got []byte) error {
	if want != "" && want != hex.EncodeToString(got) {
		return fmt.Errorf("the bytes received do not match the SHA-256 the server recorded (%s)", want)
	}
	return nil
}
