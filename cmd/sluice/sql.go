package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/sluice-dev/sluice/api/alibaba"
	"github.com/sluice-dev/sluice/api/native"
)

// newSQLCommand returns `sluice sql --project P (-e SCRIPT | -f FILE|-)`: MaxCompute metadata statements run
// by the server, all in one transaction, printed as odpscmd prints them.
func newSQLCommand() *cobra.Command {
	flags := &clientFlags{}
	var project, script, file string
	cmd := &cobra.Command{Use: "sql --project P (-e SCRIPT | -f FILE|-)", Short: "Run MaxCompute metadata statements: DDL, labels, SHOW, DESC and packages",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The statements are checked for before the credentials, so that a mistyped command says what
			// is wrong with it.
			if project == "" {
				return errors.New("--project is required")
			}
			text, err := readScript(cmd, script, file)
			if err != nil {
				return err
			}
			cl, err := flags.client()
			if err != nil {
				return err
			}
			results, err := cl.RunSQL(cmd.Context(), project, text)
			var se *alibaba.ServiceError
			if errors.As(err, &se) && se.Status < 500 {
				// The server answered: the transaction was rolled back. (A lost connection or a 5xx leaves
				// the user to check.)
				return fmt.Errorf("%w\nthe script was not applied: no statement of it took effect", err)
			}
			if err != nil {
				return err
			}
			if results == nil {
				results = []native.SQLResult{}
			}
			if flags.output == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false) // view texts hold < and >
				return enc.Encode(native.SQLResults{Results: results})
			}
			return writeSQLResults(cmd.OutOrStdout(), results)
		},
	}
	cmd.Long = `Runs a script of MaxCompute metadata statements, written as in odpscmd, in one
project: CREATE/DROP/ALTER TABLE and VIEW, CREATE/DROP FUNCTION, SET LABEL,
SET flag, SHOW TABLES|VIEWS|FUNCTIONS|RESOURCES|PACKAGES, DESC[RIBE] of a
table, function, resource or package, and the package statements (CREATE,
ADD ... TO, REMOVE ... FROM, ALLOW/DISALLOW PROJECT, INSTALL, UNINSTALL,
DROP/DELETE PACKAGE). Statements that read or write data (SELECT, INSERT, ...)
are refused.

The server parses the whole script, then runs it in one transaction: when any
statement fails, none takes effect, and the command prints the server's message
and exits with status 1. A syntax error says its line and column; a statement
that fails as it runs, its number and line.

Each statement's output is printed in order: OK for a change; one OWNER:NAME
line per table or view for SHOW TABLES and SHOW VIEWS (nothing when there are
none); boxed tables for SHOW FUNCTIONS, RESOURCES and PACKAGES and for DESC
TABLE and DESC PACKAGE; NAME VALUE lines for DESC FUNCTION and DESC RESOURCE.
With --output json it prints the server's answer, {"results": [...]}, one
object per statement.`
	flags.register(cmd)
	cmd.Flags().StringVarP(&project, "project", "p", "", "project the statements run in: name, numeric id or uuid (required)")
	cmd.Flags().StringVarP(&script, "execute", "e", "", "the statements to run, separated by semicolons")
	cmd.Flags().StringVarP(&file, "file", "f", "", "a file of statements to run, - for standard input")
	return cmd
}

// readScript returns the script of -e or -f, exactly one of which must be given.
func readScript(cmd *cobra.Command, script, file string) (string, error) {
	e, f := cmd.Flags().Changed("execute"), cmd.Flags().Changed("file")
	switch {
	case e && f:
		return "", errors.New("use one of -e and -f")
	case e:
		return script, nil
	case !f:
		return "", errors.New("give the statements with -e SCRIPT or -f FILE (- for standard input)")
	case file == "-":
		b, err := io.ReadAll(cmd.InOrStdin())
		return string(b), err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read script: %w", err)
	}
	return string(b), nil
}

// writeSQLResults prints each statement's result in order, as odpscmd does. A blank line parts a listing or
// a description from what comes before and after it, so that two DESCs in a row read as two; a run of
// changes prints one OK a line, and an empty SHOW TABLES prints nothing at all.
func writeSQLResults(w io.Writer, results []native.SQLResult) error {
	var b strings.Builder
	prev := "" // the kind of the last result that printed anything
	for _, r := range results {
		var one strings.Builder
		formatSQLResult(&one, r)
		if one.Len() == 0 {
			continue
		}
		if prev != "" && (r.Kind != "ok" || prev != "ok") {
			b.WriteByte('\n')
		}
		b.WriteString(one.String())
		prev = r.Kind
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatSQLResult(b *strings.Builder, r native.SQLResult) {
	switch {
	case r.Kind == "tables":
		for _, t := range r.Tables {
			name := t.Name
			if t.Schema != "" && t.Schema != "default" {
				name = t.Schema + "." + name
			}
			if t.Owner == "" { // a table only lineage knows has no owner: the name alone
				fmt.Fprintln(b, name)
				continue
			}
			fmt.Fprintf(b, "%s:%s\n", t.Owner, name)
		}
	case r.Kind == "functions":
		rows := make([][]string, 0, len(r.Functions))
		for _, f := range r.Functions {
			rows = append(rows, []string{f.Name, f.Owner, sqlTime(f.CreatedAt), f.Class, strings.Join(f.Resources, ",")})
		}
		writeGrid(b, []string{"Name", "Owner", "Create Time", "Class", "Resources"}, rows)
	case r.Kind == "resources":
		rows := make([][]string, 0, len(r.Resources))
		for _, res := range r.Resources {
			rows = append(rows, []string{res.Name, res.Owner, sqlTime(res.UpdatedAt), res.Kind})
		}
		writeGrid(b, []string{"Resource Name", "Owner", "Last Modified Time", "Type"}, rows)
	case r.Kind == "packages" && r.Packages != nil:
		created := make([][]string, 0, len(r.Packages.Created))
		for _, p := range r.Packages.Created {
			created = append(created, []string{p.Name, sqlTime(p.CreatedAt)})
		}
		installed := make([][]string, 0, len(r.Packages.Installed))
		for _, in := range r.Packages.Installed {
			installed = append(installed, []string{in.Package, in.SourceProject, sqlTime(in.InstalledAt), in.Status})
		}
		b.WriteString("Created packages:\n")
		writeGrid(b, []string{"PackageName", "CreateTime"}, created)
		b.WriteString("Installed packages:\n")
		writeGrid(b, []string{"PackageName", "SourceProject", "InstallTime", "Status"}, installed)
	case r.Kind == "table" && r.Table != nil:
		describeTable(b, r.Table)
	case r.Kind == "function" && r.Function != nil:
		f := r.Function
		writePairs(b, [][2]string{{"Name", f.Name}, {"Owner", f.Owner}, {"Created Time", sqlTime(f.CreatedAt)}, {"Class", f.Class},
			{"Resources", strings.Join(f.Resources, ",")}})
	case r.Kind == "resource" && r.Resource != nil:
		res := r.Resource
		pairs := [][2]string{{"Name", res.Name}}
		if res.Group != "" {
			pairs = append(pairs, [2]string{"Group", res.Group})
		}
		pairs = append(pairs, [2]string{"Owner", res.Owner}, [2]string{"Type", res.Kind}, [2]string{"Source", res.Source},
			[2]string{"Size", strconv.FormatInt(res.Size, 10)}, [2]string{"SHA256", res.SHA256},
			[2]string{"CreatedTime", sqlTime(res.CreatedAt)}, [2]string{"LastModifiedTime", sqlTime(res.UpdatedAt)})
		writePairs(b, pairs)
	case r.Kind == "package" && r.Package != nil:
		describePackage(b, r.Package)
	default:
		// A change or a session flag: OK, as odpscmd prints it (--output json has the server's message).
		// A kind newer than this client succeeded too, and says so the same way.
		b.WriteString("OK\n")
	}
}

// sqlTime is a time as odpscmd shows it, in the local zone; "" for none.
func sqlTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

// describeTable prints DESC TABLE as odpscmd's box: owner and project, comment, times, then the columns and
// the partition columns. A view adds its query.
func describeTable(b *strings.Builder, t *native.CatalogTable) {
	var x box
	x.rule()
	x.text("Owner: " + t.Owner + " | Project: " + t.Project)
	x.text("TableComment: " + t.Comment)
	x.rule()
	pairs := [][2]string{{"CreateTime:", sqlTime(t.CreatedAt)}, {"LastDDLTime:", sqlTime(t.UpdatedAt)}}
	if t.Lifecycle > 0 {
		pairs = append(pairs, [2]string{"Lifecycle:", strconv.Itoa(t.Lifecycle)})
	}
	if t.Label > 0 {
		pairs = append(pairs, [2]string{"Label:", strconv.Itoa(t.Label)})
	}
	for _, p := range pairs {
		x.text(runewidth.FillRight(p[0], 26) + p[1])
	}
	x.rule()
	if t.Kind == "view" {
		x.text("VirtualView  : YES")
		x.text("ViewText: " + t.ViewText)
		x.rule()
	}
	x.text("Native Columns:")
	x.rule()
	// When lineage raises a column's label above the declared ones, an EffectiveLabel column shows, for every
	// column, the label that governs it and, where lineage decides it, the column it derives from.
	derived := slices.ContainsFunc(t.Columns, func(c native.Column) bool { return c.EffectiveLabel > max(t.Label, c.Label) })
	header := []string{"Field", "Type", "Label", "Comment"}
	if derived {
		header = []string{"Field", "Type", "Label", "EffectiveLabel", "Comment"}
	}
	cols := [][]string{header}
	for _, c := range t.Columns {
		row := []string{c.Name, c.Type, labelCell(c.Label)}
		if derived {
			row = append(row, effectiveLabel(t, c))
		}
		cols = append(cols, append(row, c.Comment))
	}
	// Partition columns have no label: their rows are Field | Type | Comment, aligned with the columns'.
	parts := make([][]string, 0, len(t.PartitionColumns))
	for _, c := range t.PartitionColumns {
		parts = append(parts, []string{c.Name, c.Type, c.Comment})
	}
	widths := columnWidths([]int{15, 10, 5}, cols, parts)
	x.row(widths, cols[0])
	x.rule()
	for _, c := range cols[1:] {
		x.row(widths, c)
	}
	x.rule()
	if len(parts) > 0 {
		x.text("Partition Columns:")
		x.rule()
		for _, p := range parts {
			x.row(widths, p)
		}
		x.rule()
	}
	x.write(b)
}

// labelCell is a label as DESC shows it: blank for 0, the default.
func labelCell(label int) string {
	if label == 0 {
		return ""
	}
	return strconv.Itoa(label)
}

// effectiveLabel is a column's EffectiveLabel cell: the label that governs it and, when lineage raises it
// above the declared ones, where it comes from.
func effectiveLabel(t *native.CatalogTable, c native.Column) string {
	switch {
	case c.EffectiveLabel <= max(t.Label, c.Label):
		return labelCell(max(t.Label, c.Label))
	case c.LabelIncomplete:
		return strconv.Itoa(c.EffectiveLabel) + " (lineage too large to follow)"
	case c.LabelSource != "":
		return strconv.Itoa(c.EffectiveLabel) + " from " + c.LabelSource
	}
	return strconv.Itoa(c.EffectiveLabel) + " from lineage" // a package's consumer is not told the source
}

// describePackage prints DESC PACKAGE as odpscmd does (spec maxcompute-packages.md §7): the package, then its
// Object List and its Allowed Project List.
func describePackage(b *strings.Builder, p *native.Package) {
	var x box
	x.rule()
	x.text(runewidth.FillRight("CreateTime:", 15) + sqlTime(p.CreatedAt))
	x.text(runewidth.FillRight("PackageName:", 15) + p.Name)
	x.text(runewidth.FillRight("SourceProject:", 15) + p.Project)
	x.rule()
	x.text("Object List")
	x.rule()
	objects := [][]string{{"ObjectType", "ObjectName", "ObjectPrivileges"}}
	for _, o := range p.Objects {
		name := o.Name
		if o.Schema != "" && o.Schema != "default" {
			name = o.Schema + "." + name
		}
		privileges := make([]string, len(o.Actions))
		for i, a := range o.Actions {
			privileges[i] = privilegeName(a)
		}
		objects = append(objects, []string{strings.ToUpper(o.Type), name, strings.Join(privileges, ",")})
	}
	widths := columnWidths([]int{12}, objects)
	for i, o := range objects {
		x.row(widths, o)
		if i == 0 {
			x.rule()
		}
	}
	x.rule()
	x.text("Allowed Project List")
	x.rule()
	allowed := [][]string{{"ProjectName", "UserLabel"}}
	for _, a := range p.Allowed {
		allowed = append(allowed, []string{a.Project, strconv.Itoa(a.Label)})
	}
	widths = columnWidths(nil, allowed)
	for i, a := range allowed {
		x.row(widths, a)
		if i == 0 {
			x.rule()
		}
	}
	x.rule()
	x.write(b)
}

// privileges are MaxCompute's spellings of the actions a package grants (spec §7.1); the wire carries them
// in lower case.
var privileges = map[string]string{"showhistory": "ShowHistory"}

func privilegeName(action string) string {
	if p, ok := privileges[strings.ToLower(action)]; ok {
		return p
	}
	if action == "" {
		return ""
	}
	return strings.ToUpper(action[:1]) + strings.ToLower(action[1:])
}

// writePairs prints name and value lines, the names in a column 40 wide, as odpscmd's DESC FUNCTION and DESC
// RESOURCE do.
func writePairs(b *strings.Builder, pairs [][2]string) {
	for _, p := range pairs {
		b.WriteString(strings.TrimRight(runewidth.FillRight(p[0], 40)+p[1], " ") + "\n")
	}
}

// minBox is the inner width of odpscmd's DESC boxes; longer lines widen the box.
const minBox = 82

// box is a DESC box: full-width rules and lines of text, one width for all.
type box struct{ lines []*string } // nil: a rule

func (x *box) rule()         { x.lines = append(x.lines, nil) }
func (x *box) text(s string) { x.lines = append(x.lines, &s) }

// row adds a line of cells separated by " | ", each but the last padded to its column's width.
func (x *box) row(widths []int, cells []string) { x.text(joinCells(widths, cells)) }

func (x *box) write(b *strings.Builder) {
	width := minBox
	for _, l := range x.lines {
		if l != nil {
			width = max(width, runewidth.StringWidth(*l))
		}
	}
	for _, l := range x.lines {
		if l == nil {
			b.WriteString("+" + strings.Repeat("-", width+2) + "+\n")
		} else {
			b.WriteString("| " + runewidth.FillRight(*l, width) + " |\n")
		}
	}
}

// columnWidths returns the width of each column of rows but their last cells, which are never padded: at
// least mins, else the widest cell.
func columnWidths(mins []int, groups ...[][]string) []int {
	widths := append([]int(nil), mins...)
	for _, rows := range groups {
		for _, r := range rows {
			for i, c := range r[:len(r)-1] {
				if i == len(widths) {
					widths = append(widths, 0)
				}
				widths[i] = max(widths[i], runewidth.StringWidth(c))
			}
		}
	}
	return widths
}

func joinCells(widths []int, cells []string) string {
	var s strings.Builder
	for i, c := range cells {
		if i < len(cells)-1 {
			s.WriteString(runewidth.FillRight(c, widths[i]) + " | ")
		} else {
			s.WriteString(c)
		}
	}
	return s.String()
}

// writeGrid prints a result grid as odpscmd prints a query's: headers and rows between rules, every column
// as wide as its widest cell.
func writeGrid(b *strings.Builder, headers []string, rows [][]string) {
	widths := make([]int, len(headers))
	for _, r := range append([][]string{headers}, rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	rule := "+"
	for _, w := range widths {
		rule += strings.Repeat("-", w+2) + "+"
	}
	line := func(cells []string) {
		b.WriteString("|")
		for i, c := range cells {
			b.WriteString(" " + runewidth.FillRight(c, widths[i]) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString(rule + "\n")
	line(headers)
	b.WriteString(rule + "\n")
	for _, r := range rows {
		line(r)
	}
	b.WriteString(rule + "\n")
}
