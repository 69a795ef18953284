package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	"github.com/sluice-dev/sluice/api/native"
)

// newLineageDiffCommand returns `sluice lineage diff --project P FILE [FROM [TO]]`: what a change of a file
// does to its lineage, and which tasks of other files read what it touches.
func newLineageDiffCommand() *cobra.Command {
	flags := &clientFlags{}
	var project, script string
	var failOnImpact bool
	cmd := clientCommand(flags, "diff --project P FILE [FROM [TO]] [--script PATH] [--fail-on-impact]",
		"Print the lineage a change of a file adds and removes, and the downstream tasks it reaches", cobra.RangeArgs(1, 3),
		func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if project == "" {
				return errors.New("--project is required")
			}
			var in native.LineageDiffRequest
			for i, a := range args[1:] {
				v, err := strconv.Atoi(a)
				if err != nil || v < 1 {
					return fmt.Errorf("version %q is not a version number (1, 2, ...)", a)
				}
				if i == 0 {
					in.From = v
				} else {
					in.To = v
				}
			}
			if cmd.Flags().Changed("script") {
				if in.To != 0 {
					return errors.New("--script is the working copy: give at most one version (FROM) to compare it with")
				}
				b, err := os.ReadFile(script)
				if err != nil {
					return fmt.Errorf("read script: %w", err)
				}
				s := string(b)
				in.Script = &s
			}
			id, err := resolveFile(cmd, cl, project, args[0])
			if err != nil {
				return err
			}
			d, err := cl.DiffFileLineage(cmd.Context(), project, id, in)
			if err != nil {
				return fmt.Errorf("lineage diff of file %d: %w", id, err)
			}
			if err := printLineageDiff(cmd, flags, d, script); err != nil {
				return err
			}
			if len(d.Errors) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "sluice: %d statements of %s not understood; the diff may lack what they read or write\n",
					len(d.Errors), sideName(d.To, d.Script, script))
			}
			if failOnImpact && len(d.Downstream) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "sluice: the change reaches %d downstream task reads (--fail-on-impact)\n", len(d.Downstream))
				return exitError(1)
			}
			return nil
		})
	cmd.Long = `Compares two sides of a file's lineage and prints the table edges (reads,
writes) and column edges (target <- source, kind) the change adds (+) and
removes (-); a column edge whose kind changes is removed and added again.
FILE is a file id, a file name, or a path <folder path>/<name>.

  diff FILE             the working copy (the file's draft) against its last
                        committed version
  diff FILE FROM        the working copy against version FROM
  diff FILE FROM TO     version FROM against version TO
  --script PATH         a local SQL file as the working copy (against the last
                        committed version, or FROM)

The working copy is parsed as committing it would parse it; nothing is
committed. "downstream" lists the tasks (current DEV nodes of other files,
in projects you may read) whose current versions read a column the change
touches (one whose edges are added or removed) or a table the file stops
writing. -o json prints the same as one object.

The exit status is 0 whatever the diff says, unless --fail-on-impact is set
and a downstream task is reached: then it is 1, for CI gates.`
	flags.register(cmd)
	cmd.Flags().StringVarP(&project, "project", "p", "", "workspace: name or numeric id (required)")
	cmd.Flags().StringVar(&script, "script", "", "a local SQL file to compare as the working copy")
	cmd.Flags().BoolVar(&failOnImpact, "fail-on-impact", false, "exit with status 1 when the change reaches a downstream task")
	return cmd
}

// sideName says what a diff's "to" side is, for people.
func sideName(to int, isScript bool, script string) string {
	switch {
	case to != 0:
		return "version " + strconv.Itoa(to)
	case isScript:
		return "script " + script
	}
	return "the draft"
}

// printLineageDiff prints the diff: a heading, the edges changed and the downstream tasks, or the object with
// -o json.
func printLineageDiff(cmd *cobra.Command, flags *clientFlags, d native.LineageDiff, script string) error {
	w := cmd.OutOrStdout()
	if flags.output == "json" {
		return flags.print(w, d, nil, nil)
	}
	from := "no committed version"
	if d.From != 0 {
		from = "version " + strconv.Itoa(d.From)
	}
	fmt.Fprintf(w, "file %d: %s -> %s\n", d.FileID, from, sideName(d.To, d.Script, script))
	if len(d.Tables)+len(d.Columns) == 0 {
		fmt.Fprintln(w, "no lineage change")
	} else {
		rows := make([][]string, 0, len(d.Tables)+len(d.Columns))
		for _, t := range d.Tables {
			rows = append(rows, []string{t.Change, "table", t.Direction + " " + t.Table})
		}
		for _, c := range d.Columns {
			src := c.Source
			if src == "" {
				src = "(no source)"
			}
			rows = append(rows, []string{c.Change, "column", c.Target + " <- " + src + " (" + c.Kind + ")"})
		}
		if err := writeTable(w, []string{"CHANGE", "KIND", "EDGE"}, rows); err != nil {
			return err
		}
	}
	if len(d.Downstream) == 0 {
		_, err := fmt.Fprintln(w, "\ndownstream: none")
		return err
	}
	fmt.Fprintln(w, "\ndownstream:")
	rows := make([][]string, 0, len(d.Downstream))
	for _, i := range d.Downstream {
		guid := i.Guid
		if i.Table {
			guid += " (no longer written)"
		}
		rows = append(rows, []string{guid, strconv.FormatInt(i.TaskID, 10), i.TaskName, i.Project})
	}
	return writeTable(w, []string{"COLUMN / TABLE", "TASK", "TASK NAME", "PROJECT"}, rows)
}

// resolveFile turns a FILE argument into a file id: an id as it is; a name, or a path <folder path>/<name>,
// looked up with ListFiles. A name several folders hold is refused with the paths to choose from. A file
// named with digits only is given by its path.
func resolveFile(cmd *cobra.Command, n *native.Client, project, file string) (int64, error) {
	if id, err := strconv.ParseInt(file, 10, 64); err == nil {
		return id, nil
	}
	cl := &rpc.Client{Endpoint: n.Endpoint, AccessKeyID: n.AccessKeyID, AccessKeySecret: n.AccessKeySecret}
	q := rpc.Project(project)
	q.Set("NeedAbsoluteFolderPath", "true")
	name := strings.Trim(file, "/")
	if dir, base := path.Split(name); dir != "" {
		q.Set("FileFolderPath", strings.TrimSuffix(dir, "/"))
		name = base
	}
	q.Set("ExactFileName", name)
	files, err := listAll(cmd, cl, q)
	var ae *rpc.Error
	if errors.As(err, &ae) && ae.Code == "InvalidParameter.NotExist" {
		files, err = nil, nil // the folder does not exist: no file is there
	}
	if err != nil {
		return 0, fmt.Errorf("look up file %q: %w", file, err)
	}
	switch len(files) {
	case 0:
		return 0, fmt.Errorf("no file %q in %s: give a file id, a name or <folder path>/<name>", file, project)
	case 1:
		return files[0].FileID, nil
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, fmt.Sprintf("%s/%s (id %d)", f.AbsoluteFolderPath, f.FileName, f.FileID))
	}
	return 0, fmt.Errorf("%d files are named %q in %s; give one's path or id:\n  %s", len(files), file, project, strings.Join(paths, "\n  "))
}
