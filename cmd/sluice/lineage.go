package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/lineage"
	"github.com/sluice-dev/sluice/mcsql"
)

// newLineageCommand returns `sluice lineage [--dialect odps|hive|spark] [-o json|table] FILE...`, which prints
// the table lineage of each script without a server.
func newLineageCommand() *cobra.Command {
	var dialect, output string
	var columns bool
	var schemaFiles []string
	cmd := &cobra.Command{
		Use:   "lineage [--columns [--schema DDL_FILE]...] [--dialect odps|hive|spark] [-o json|table] FILE...",
		Short: "Print the tables SQL scripts read and write",
		Long: `Prints one JSON object keyed by each file's base name:
{"a.sql": {"inputs": [...], "outputs": [...], "errors": [...]}}, or with -o table
one line per table read or written and per statement not understood.
With --columns each file's object also lists, under "columns", every column
written with the input columns it derives from and how (direct, expression,
aggregation, constant); --schema names CREATE TABLE DDL files that give the
columns of tables the scripts read and write, and whose SET LABEL statements
add each labelled column's declared and effective label (labels follow the
data through every script given).
Statements that cannot be understood are listed under "errors" and do not
stop the rest of the script; the command then exits with status 1, after
printing everything it found. No server is needed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := lineage.ParseDialect(dialect)
			if err != nil {
				return err
			}
			if output != "json" && output != "table" {
				return fmt.Errorf("output %q: use json or table", output)
			}
			files := make([]lineage.File, 0, len(args))
			for _, path := range args {
				b, err := os.ReadFile(path)
				if err != nil {
					// "sluice lineage grph" is more likely a mistyped subcommand than a missing script.
					if s := cmd.SuggestionsFor(path); errors.Is(err, fs.ErrNotExist) && len(args) == 1 && len(s) > 0 {
						return fmt.Errorf("read script: %w\n\nDid you mean this?\n\t%s %s", err, cmd.CommandPath(), s[0])
					}
					return fmt.Errorf("read script: %w", err)
				}
				files = append(files, lineage.File{Name: filepath.Base(path), Script: string(b)})
			}
			if len(schemaFiles) > 0 && !columns {
				return fmt.Errorf("--schema is for --columns")
			}
			if columns {
				schemas, labels, err := readSchemas(schemaFiles)
				if err != nil {
					return err
				}
				return printColumnLineage(cmd, files, d, schemas, labels, output)
			}
			out, err := lineage.Report(files, d)
			if err != nil {
				return err
			}
			// The report is the contract (spec lineage.md); the table and the exit status are read back from it.
			var results map[string]lineage.Result
			if err := json.Unmarshal(out, &results); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if output == "json" {
				_, err = w.Write(out)
			} else {
				err = writeTable(w, []string{"FILE", "ROLE", "TABLE / PROBLEM"}, lineageRows(results))
			}
			if err != nil {
				return err
			}
			return notUnderstood(cmd, files, func(name string) int { return len(results[name].Errors) })
		},
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.Flags().StringVar(&dialect, "dialect", string(lineage.ODPS), "SQL dialect: odps, hive or spark")
	cmd.Flags().StringVarP(&output, "output", "o", "json", "output format: json or table")
	cmd.Flags().BoolVar(&columns, "columns", false, "also print column lineage: each column written and the columns it derives from")
	cmd.Flags().StringArrayVar(&schemaFiles, "schema", nil, "with --columns: a file of CREATE TABLE and SET LABEL statements giving table columns and labels (repeatable)")
	cmd.AddCommand(newLineageGraphCommand(), newLineageDiffCommand(), newLineageExportCommand())
	return cmd
}

// lineageRows lists, file by file, the tables read, those written and the statements not understood.
func lineageRows(results map[string]lineage.Result) [][]string {
	names := make([]string, 0, len(results))
	for name := range results {
		names = append(names, name)
	}
	sort.Strings(names)
	var rows [][]string
	for _, name := range names {
		r := results[name]
		for _, t := range r.Inputs {
			rows = append(rows, []string{name, "reads", t})
		}
		for _, t := range r.Outputs {
			rows = append(rows, []string{name, "writes", t})
		}
		for _, e := range r.Errors {
			rows = append(rows, []string{name, "error", e.Error()})
		}
		if len(r.Inputs)+len(r.Outputs)+len(r.Errors) == 0 {
			rows = append(rows, []string{name, "-", "no table lineage"})
		}
	}
	return rows
}

// tableGUID turns the TABLE (or COLUMN) argument of `lineage graph` into the guid the server looks up:
// odps.<project>.<table>, odps.<project>.<schema>.<table>, or a column guid, the column's name after its
// table's guid. With --project the argument names a table of that project (table or schema.table) or a
// column of one (table.column); without it, it starts with the project (project.table[.column]).
func tableGUID(table, project string) (string, error) {
	if strings.HasPrefix(strings.ToLower(table), "odps.") {
		return table, nil
	}
	if project != "" {
		return "odps." + project + "." + table, nil
	}
	if !strings.Contains(table, ".") {
		return "", fmt.Errorf("table %q names no project: pass --project, or write PROJECT.%s", table, table)
	}
	return "odps." + table, nil
}

// newLineageGraphCommand returns `sluice lineage graph TABLE|COLUMN --up|--down --depth N`, which asks a server
// for the multi-hop lineage graph of committed files around a table (tables and tasks) or a column (columns,
// edges with their kind and files), now or as of a time. (A script file named "graph" is still read by
// `sluice lineage ./graph`.)
func newLineageGraphCommand() *cobra.Command {
	flags := &clientFlags{}
	var up, down, column bool
	var depth, limit int
	var project, asOf string
	cmd := clientCommand(flags, "graph TABLE|COLUMN [--project P] [--up|--down] [--depth N] [--limit M] [--column] [--as-of TIME]",
		"Print the lineage graph around a table (tables and tasks) or a column (columns)", cobra.ExactArgs(1),
		func(cmd *cobra.Command, cl *native.Client, args []string) error {
			if up && down {
				return fmt.Errorf("use one of --up and --down")
			}
			dir := "down"
			if up {
				dir = "up"
			}
			guid, err := tableGUID(args[0], project)
			if err != nil {
				return err
			}
			q := native.ColumnGraphQuery{Direction: dir, Depth: depth, Limit: limit}
			if asOf != "" {
				if q.AsOf, err = native.ParseAsOf(asOf); err != nil {
					return fmt.Errorf("--as-of: %w", err)
				}
			}
			res, err := lineageGraph(cmd, cl, guid, column, q)
			if err != nil {
				return fmt.Errorf("lineage of %s: %w", guid, err)
			}
			w := cmd.OutOrStdout()
			if cg, ok := res.(native.ColumnGraph); ok {
				if flags.output != "json" {
					// Say what was looked up: a bare name was completed with the project, and the level decided.
					fmt.Fprintf(w, "column %s, %sstream", guid, dir)
					if cg.AsOf != "" {
						fmt.Fprintf(w, ", as of %s", cg.AsOf)
					}
					fmt.Fprintln(w, ":")
				}
				return printColumnGraph(w, flags, cg)
			}
			g := res.(native.Graph)
			if flags.output != "json" {
				fmt.Fprintf(w, "%s, %sstream:\n", guid, dir)
			}
			rows := make([][]string, 0, len(g.Nodes)+len(g.Edges))
			for _, n := range g.Nodes {
				rows = append(rows, []string{"node", strconv.Itoa(n.Depth), n.Kind, n.ID, n.Name})
			}
			for _, e := range g.Edges {
				rows = append(rows, []string{"edge", "", "", e.From, e.To})
			}
			if err := flags.print(w, g, []string{"ITEM", "DEPTH", "KIND", "ID/FROM", "NAME/TO"}, rows); err != nil {
				return err
			}
			graphNotes(w, flags, g.Truncated, g.DepthLimited, len(g.Nodes), g.Depth)
			return nil
		})
	cmd.Long = `Prints the multi-hop lineage of committed files around a table or a column.

A table is TABLE with --project, PROJECT.TABLE or odps.PROJECT.TABLE (a schema
table: odps.PROJECT.SCHEMA.TABLE); a column is TABLE.COLUMN with --project,
PROJECT.TABLE.COLUMN or odps.PROJECT.TABLE.COLUMN. odps.P.T.C may be either: it
is looked up as a table first and as a column when no table has that guid;
--column skips the table. The column graph lists columns, and edges along the
data flow with their kind (direct, expression, aggregation) and the files
making them. --as-of TIME (RFC 3339 or epoch milliseconds) shows column lineage
as it stood then: each file's last version committed by that time, none for a
file deleted by then.`
	flags.register(cmd)
	cmd.Flags().StringVarP(&project, "project", "p", "", "the project of a bare TABLE or TABLE.COLUMN name")
	cmd.Flags().BoolVar(&up, "up", false, "walk upstream: what the table or column is made from")
	cmd.Flags().BoolVar(&down, "down", false, "walk downstream: what is made from the table or column (default)")
	cmd.Flags().IntVar(&depth, "depth", 0, "hops (server default 3, at most 20)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many nodes (server default 1000, at most 10000)")
	cmd.Flags().BoolVar(&column, "column", false, "the argument is a column: ask for the column graph only")
	cmd.Flags().StringVar(&asOf, "as-of", "", "column lineage as it stood at this time (RFC 3339 or epoch milliseconds)")
	return cmd
}

// readSchemas reads the column lists of the tables that CREATE TABLE statements in the DDL files declare:
// columns, then partition columns, as MaxCompute orders them, and the labels their SET LABEL statements
// declare. A table is known by its name as written (project.table) and by its bare name, so scripts that
// leave the project out still find it.
func readSchemas(paths []string) (lineage.Schemas, mcsql.Labels, error) {
	schemas, labels := lineage.Schemas{}, mcsql.Labels{}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("read schema: %w", err)
		}
		if err := mcsql.AddTableColumns(schemas, string(b)); err != nil {
			return nil, nil, fmt.Errorf("schema %s: %w", path, err)
		}
		if err := mcsql.AddTableLabels(labels, string(b)); err != nil {
			return nil, nil, fmt.Errorf("schema %s: %w", path, err)
		}
	}
	return schemas, labels, nil
}

// printColumnLineage prints the column lineage of each file (spec column-lineage.md): the table lineage's
// object with "columns" added. With labels (SET LABEL in --schema DDL) labels follow the data through every
// file given, as on a server (sluice.DeriveLabels): a column entry whose label is above 0 adds declaredLabel
// (its own, with its table's), label (the one that governs it) and, when lineage raises it, labelSource (the
// column it derives from), and the table a LABEL column. It exits with status 1 when a statement was not
// understood, as without --columns.
func printColumnLineage(cmd *cobra.Command, files []lineage.File, d lineage.Dialect, schemas lineage.Schemas, labels mcsql.Labels, output string) error {
	results := make(map[string]lineage.ColumnResult, len(files))
	for _, f := range files {
		if _, dup := results[f.Name]; dup {
			return fmt.Errorf("two files named %q: the report is keyed by base name", f.Name)
		}
		results[f.Name] = lineage.ExtractColumns(f.Script, d, schemas)
	}
	declared := map[string]int{}
	var edges []sluice.ColumnGraphEdge
	for _, r := range results {
		for _, c := range r.Columns {
			declared[c.Target] = labels.Column(c.Target)
			for _, src := range c.Sources {
				declared[src] = labels.Column(src)
				edges = append(edges, sluice.ColumnGraphEdge{From: src, To: c.Target})
			}
		}
	}
	derived := sluice.DeriveLabels(edges, declared)
	labelled := false
	for _, label := range declared {
		labelled = labelled || label > 0
	}
	// labelOf is a target's declared label, the one that governs it, and the column that derives it.
	labelOf := func(target string) (int, int, string) {
		if d, ok := derived[target]; ok {
			return declared[target], d.Label, d.Source
		}
		return declared[target], declared[target], ""
	}
	w := cmd.OutOrStdout()
	if output == "json" {
		var report any = results
		if labelled {
			// The spec's entry with additive keys: its own keys are ColumnEdge's, unchanged.
			type labelledColumn struct {
				lineage.ColumnEdge
				DeclaredLabel *int   `json:"declaredLabel,omitempty"`
				Label         *int   `json:"label,omitempty"`
				LabelSource   string `json:"labelSource,omitempty"`
			}
			type labelledResult struct {
				lineage.ColumnResult
				Columns []labelledColumn `json:"columns"`
			}
			out := make(map[string]labelledResult, len(results))
			for name, r := range results {
				lr := labelledResult{ColumnResult: r, Columns: make([]labelledColumn, len(r.Columns))}
				for i, c := range r.Columns {
					lr.Columns[i].ColumnEdge = c
					if own, label, src := labelOf(c.Target); label > 0 {
						lr.Columns[i].DeclaredLabel, lr.Columns[i].Label, lr.Columns[i].LabelSource = &own, &label, src
					}
				}
				out[name] = lr
			}
			report = out
		}
		b, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
	} else {
		header := []string{"FILE", "TARGET", "KIND", "SOURCES / PROBLEM"}
		if labelled {
			header = []string{"FILE", "TARGET", "KIND", "LABEL", "SOURCES / PROBLEM"}
		}
		// row puts a line in the layout of header: the LABEL cell before the last one when there is one.
		row := func(cells []string, label string) []string {
			if labelled {
				cells = append(cells[:len(cells)-1:len(cells)-1], label, cells[len(cells)-1])
			}
			return cells
		}
		var rows [][]string
		for _, f := range files {
			r := results[f.Name]
			for _, c := range r.Columns {
				kind := c.Kind
				if c.Assumed {
					kind += " (assumed)"
				}
				cell := ""
				switch own, label, src := labelOf(c.Target); {
				case src != "":
					cell = fmt.Sprintf("%d from %s (declared %d)", label, src, own)
				case label > 0:
					cell = strconv.Itoa(label)
				}
				rows = append(rows, row([]string{f.Name, c.Target, kind, strings.Join(c.Sources, ", ")}, cell))
			}
			for _, e := range r.Errors {
				rows = append(rows, row([]string{f.Name, "error", "", e.Error()}, ""))
			}
		}
		if err := writeTable(w, header, rows); err != nil {
			return err
		}
	}
	return notUnderstood(cmd, files, func(name string) int { return len(results[name].Errors) })
}

// notUnderstood reports the files with statements the parser did not understand (errors counts them) and
// exits 1: the lineage printed lacks what those statements read or write, beyond what the errors marked
// partial say was recovered.
func notUnderstood(cmd *cobra.Command, files []lineage.File, errors func(name string) int) error {
	var failed []string
	for _, f := range files {
		if n := errors(f.Name); n > 0 {
			failed = append(failed, fmt.Sprintf("%s (%d)", f.Name, n))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "sluice: statements not understood in %s; the lineage above may lack what they read or write (partial: some was recovered)\n",
		strings.Join(failed, ", "))
	return exitError(1)
}
