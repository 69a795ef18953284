package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/lineage"
	"github.com/sluice-dev/sluice/openlineage"
)

// exportFormats are the formats `lineage export` writes.
var exportFormats = []string{"openlineage"}

// newLineageExportCommand returns `sluice lineage export --format openlineage`: the OpenLineage events of
// committed versions from a server (--project), or of local scripts without one.
func newLineageExportCommand() *cobra.Command {
	flags := &clientFlags{}
	var format, project, namespace, dialect string
	var schemaFiles []string
	cmd := &cobra.Command{
		Use:   "export --format openlineage (--project P [FILE [VERSION]] | FILE.sql...) [--namespace NS]",
		Short: "Print lineage as OpenLineage events, one JSON object a line",
		Long: `Prints OpenLineage JobEvents (docs/openlineage.md), one JSON object a line
(NDJSON), which a loop can POST to any OpenLineage receiver.

With --project the events come from the server: each is the event the commit
of that version announced. Without FILE, one per file of the project with a
committed version (its last one), by file id; with FILE (an id, a name or
<folder path>/<name>), its last committed version, or VERSION.
--namespace sets the job namespace (default the server's).

Without --project the events are built here from local SQL scripts, no server
needed: the job is named after the file, tables are named as the script
writes them, --dialect and --schema are those of "sluice lineage --columns",
and --namespace defaults to "sluice". A statement not understood is reported
on stderr and the exit status is 1, after every event is printed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "openlineage" {
				return fmt.Errorf("--format %q: the supported formats are %s", format, strings.Join(exportFormats, ", "))
			}
			w := cmd.OutOrStdout()
			if project == "" {
				if len(args) == 0 {
					return errors.New("give --project P for a server's committed versions, or local SQL files")
				}
				if flags.endpoint != "" || flags.profile != "" {
					return errors.New("--endpoint and --profile are for --project: local files are read without a server")
				}
				return exportLocal(cmd, args, namespace, dialect, schemaFiles)
			}
			if len(schemaFiles) > 0 || cmd.Flags().Changed("dialect") {
				return errors.New("--schema and --dialect are for local files: with --project the server parsed the committed versions")
			}
			if len(args) > 2 {
				return errors.New("with --project, give at most FILE and VERSION")
			}
			cl, err := flags.client()
			if err != nil {
				return err
			}
			var id int64
			var version int
			if len(args) > 0 {
				if id, err = resolveFile(cmd, cl, project, args[0]); err != nil {
					return err
				}
			}
			if len(args) > 1 {
				if version, err = strconv.Atoi(args[1]); err != nil || version < 1 {
					return fmt.Errorf("version %q is not a version number (1, 2, ...)", args[1])
				}
			}
			events, err := cl.LineageEvents(cmd.Context(), project, id, version, namespace)
			if err != nil {
				return fmt.Errorf("export %s: %w", project, err)
			}
			return writeEvents(w, events)
		},
	}
	flags.registerConnection(cmd)
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "the format to write: "+strings.Join(exportFormats, ", ")+" (required)")
	f.StringVarP(&project, "project", "p", "", "export a server project's committed versions (name or numeric id)")
	f.StringVar(&namespace, "namespace", "", "the OpenLineage job namespace (default the server's; sluice for local files)")
	f.StringVar(&dialect, "dialect", string(lineage.ODPS), "local files: SQL dialect, odps, hive or spark")
	f.StringArrayVar(&schemaFiles, "schema", nil, "local files: a file of CREATE TABLE statements giving table columns (repeatable)")
	return cmd
}

// writeEvents writes one event a line.
func writeEvents(w io.Writer, events []openlineage.Event) error {
	var b []byte
	for _, e := range events {
		line, err := openlineage.Marshal(e)
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	_, err := w.Write(b)
	return err
}

// exportLocal prints the events of local scripts: their column lineage (lineage.ExtractColumns) as the
// builder the server uses turns a committed version's into an event. A script is no committed version, so
// the job is named after the file alone and carries no file id or version tag; the event time is the file's
// modification time, which keeps the export of an unchanged file the same.
func exportLocal(cmd *cobra.Command, paths []string, namespace, dialect string, schemaFiles []string) error {
	d, err := lineage.ParseDialect(dialect)
	if err != nil {
		return err
	}
	schemas, _, err := readSchemas(schemaFiles)
	if err != nil {
		return err
	}
	files := make([]lineage.File, 0, len(paths))
	results := map[string]lineage.ColumnResult{}
	events := make([]openlineage.Event, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read script: %w", err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("read script: %w", err)
		}
		name := filepath.Base(p)
		if _, dup := results[name]; dup {
			return fmt.Errorf("two files named %q: each names a job", name)
		}
		res := lineage.ExtractColumns(string(b), d, schemas)
		files, results[name] = append(files, lineage.File{Name: name, Script: string(b)}), res
		v := openlineage.Version{Namespace: namespace, FileName: name, CommittedAt: fi.ModTime(), SQL: string(b), Dialect: string(d),
			Inputs: res.Inputs, Outputs: res.Outputs}
		for _, c := range res.Columns {
			if len(c.Sources) == 0 {
				v.Columns = append(v.Columns, openlineage.ColumnEdge{Target: c.Target, Kind: c.Kind})
			}
			for _, src := range c.Sources {
				v.Columns = append(v.Columns, openlineage.ColumnEdge{Target: c.Target, Source: src, Kind: c.Kind})
			}
		}
		e := openlineage.JobEvent(v)
		e.Job.Name = name
		e.Job.Facets.Tags = nil // its tags name a committed version's file id and number, which a script has not
		events = append(events, e)
	}
	if err := writeEvents(cmd.OutOrStdout(), events); err != nil {
		return err
	}
	return notUnderstood(cmd, files, func(name string) int { return len(results[name].Errors) })
}
