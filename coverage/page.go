package coverage

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/sluice-dev/sluice/api/alibaba/roa"
	"github.com/sluice-dev/sluice/api/alibaba/rpc"
	"github.com/sluice-dev/sluice/api/huawei/dli"
	"github.com/sluice-dev/sluice/api/native"
	"github.com/sluice-dev/sluice/console"
)

// PageFile is the generated page, relative to the repository root.
const PageFile = "docs/coverage.md"

// Command is how the page and the catalogue are regenerated, from the repository root.
const Command = "go run ./cmd/sluice-coverage"

// Status is an operation's status in Sluice.
type Status string

// Statuses.
const (
	Implemented    Status = "implemented"
	Partial        Status = "partial"
	NotImplemented Status = "not implemented"
)

// Versions of the RPC actions (rpc.Actions).
const (
	dataWorksVersion      = "2020-05-18"
	maxComputeRPCVersion  = "2019-06-12"
	unknownAPIDataWorks   = "`InvalidApi.NotFound` (404)"
	unknownAPIMaxCompute  = "`InvalidAction.NotFound` (404)"
	unknownAPIDLI         = "`APIGW.0101` (404)"
	extraNote             = "served beyond the spec files read"
	extraNoteWithNotePrep = "served beyond the spec files read; "
)

// Row is one operation of a face on the page.
type Row struct {
	Op     Operation
	Status Status
	Note   string
	Doc    string // docs key (docHeadings), empty when not served
	Extra  bool   // served, not in the catalogue
}

// FaceReport is one face's rows, by operation name.
type FaceReport struct {
	Face
	Unknown string // what an operation Sluice does not serve answers
	Rows    []Row
}

// count returns how many catalogued rows have status s.
func (f *FaceReport) count(s Status) int {
	n := 0
	for _, r := range f.Rows {
		if !r.Extra && r.Status == s {
			n++
		}
	}
	return n
}

func (f *FaceReport) extras() int {
	n := 0
	for _, r := range f.Rows {
		if r.Extra {
			n++
		}
	}
	return n
}

// Report is what the page shows.
type Report struct {
	Faces         []FaceReport
	MaxComputeRPC []string // MaxCompute 2019-06-12 RPC actions served
	Native        []string // native API routes, "METHOD /path"
	Console       []string // console routes, "METHOD /path"
}

// served is one operation a router serves; method and path are empty for RPC actions.
type served struct{ method, path string }

// servedOperations reads each vendor face's route table.
func servedOperations() map[string]map[string]served {
	out := map[string]map[string]served{DataWorks: {}, MaxCompute: {}, DLI: {}}
	for _, a := range rpc.Actions() {
		if a.Version == dataWorksVersion {
			out[DataWorks][a.Name] = served{}
		}
	}
	for _, r := range roa.Routes() {
		out[MaxCompute][r.Action] = served{method: r.Method, path: r.Pattern}
	}
	for _, r := range dli.Routes() {
		// {resource_id...} is the router's "one or more segments"; the spec writes {resource_id}.
		out[DLI][r.Name] = served{method: r.Method, path: strings.ReplaceAll(r.Pattern, "...}", "}")}
	}
	return out
}

// Build puts the catalogue and the route tables side by side. It fails when they disagree in a way a
// page cannot show: a served operation on another method or path than the spec's, or a partial note for an
// operation that is not served.
func Build(c *Catalogue) (*Report, error) {
	srv := servedOperations()
	var problems []string
	rep := &Report{}
	unknown := map[string]string{DataWorks: unknownAPIDataWorks, MaxCompute: unknownAPIMaxCompute, DLI: unknownAPIDLI}
	for _, f := range c.Faces {
		fr := FaceReport{Face: f, Unknown: unknown[f.ID]}
		inCatalogue := map[string]bool{}
		for _, op := range f.Operations {
			inCatalogue[op.Name] = true
			row := Row{Op: op, Status: NotImplemented}
			if s, ok := srv[f.ID][op.Name]; ok {
				if s.method != op.Method || s.path != op.Path {
					problems = append(problems, fmt.Sprintf("%s %s: served as %s %s, the spec has %s %s",
						f.ID, op.Name, s.method, s.path, op.Method, op.Path))
				}
				row.Status, row.Doc = Implemented, docKey(f.ID, op.Name)
				if note := partial[f.ID][op.Name]; note != "" {
					row.Status, row.Note = Partial, note
				}
			}
			fr.Rows = append(fr.Rows, row)
		}
		for name, s := range srv[f.ID] {
			if inCatalogue[name] {
				continue
			}
			row := Row{Op: Operation{Name: name, Method: s.method, Path: s.path}, Status: Implemented,
				Note: extraNote, Doc: docKey(f.ID, name), Extra: true}
			if note := partial[f.ID][name]; note != "" {
				row.Status, row.Note = Partial, extraNoteWithNotePrep+note
			}
			fr.Rows = append(fr.Rows, row)
		}
		for name := range partial[f.ID] {
			if _, ok := srv[f.ID][name]; !ok {
				problems = append(problems, fmt.Sprintf("%s %s: a partial note for an operation that is not served", f.ID, name))
			}
		}
		sort.Slice(fr.Rows, func(i, j int) bool { return fr.Rows[i].Op.Name < fr.Rows[j].Op.Name })
		rep.Faces = append(rep.Faces, fr)
	}
	for id := range partial {
		if c.face(id) == nil {
			problems = append(problems, fmt.Sprintf("partial notes for %s, which is not in the catalogue", id))
		}
	}
	for _, a := range rpc.Actions() {
		if a.Version == maxComputeRPCVersion {
			rep.MaxComputeRPC = append(rep.MaxComputeRPC, a.Name)
		}
	}
	rep.Native = native.Routes()
	rep.Console = console.Routes()
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("the route tables and %s disagree:\n\t%s", CatalogueFile, strings.Join(problems, "\n\t"))
	}
	return rep, nil
}

// Page renders docs/coverage.md from the catalogue and the route tables.
func Page(c *Catalogue) ([]byte, error) {
	rep, err := Build(c)
	if err != nil {
		return nil, err
	}
	return rep.Render(), nil
}

// Render writes the page. Nothing in it depends on the time or the machine, so the same tables give the
// same bytes.
func (rep *Report) Render() []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# API coverage\n\n")
	p("<!-- Generated by `%s` from the route tables and %s. Do not edit: regenerate. -->\n\n", Command, CatalogueFile)
	p("Every operation of the vendor APIs Sluice speaks, as the wire specs name them, with its status in Sluice:\n\n")
	p("- **implemented**: served as the vendor documents it (the linked page says where the documentation is silent and what Sluice chose);\n")
	p("- **partial**: served, but part of it is missing, named in the notes;\n")
	p("- **not implemented**: not served; a request for it answers the face's unknown-operation error (below).\n\n")
	p("Operations Sluice serves that the spec files do not name are listed too, marked as such. The list of vendor\n")
	p("operations is `%s`, read from the spec files; what Sluice serves is read from the routers' own route\n", CatalogueFile)
	p("tables. Sluice's own APIs (native API, console) are listed at the end.\n\n")

	p("| API | operations in the specs | implemented | partial | not implemented | served beyond the specs |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for i := range rep.Faces {
		f := &rep.Faces[i]
		p("| [%s](#%s) | %d | %d | %d | %d | %d |\n", f.Title, slug(f.Title), len(f.Operations),
			f.count(Implemented), f.count(Partial), f.count(NotImplemented), f.extras())
	}
	p("\n")

	for i := range rep.Faces {
		f := &rep.Faces[i]
		p("## %s\n\n", f.Title)
		p("Spec files read: %s. An operation Sluice does not serve answers %s.\n\n", strings.Join(f.Specs, ", "), f.Unknown)
		rest := f.ID != DataWorks
		if rest {
			p("| operation | request | status | notes | docs | spec |\n| --- | --- | --- | --- | --- | --- |\n")
		} else {
			p("| operation | status | notes | docs | spec |\n| --- | --- | --- | --- | --- |\n")
		}
		for _, r := range f.Rows {
			doc := "—"
			if r.Doc != "" {
				doc = docLink(r.Doc)
			}
			section := r.Op.Section
			if section == "" {
				section = "—"
			}
			note := r.Note
			if note == "" {
				note = "—"
			}
			if rest {
				p("| `%s` | `%s %s` | %s | %s | %s | %s |\n", r.Op.Name, r.Op.Method, r.Op.Path, r.Status, note, doc, section)
			} else {
				p("| `%s` | %s | %s | %s | %s |\n", r.Op.Name, r.Status, note, doc, section)
			}
		}
		p("\nTotal: %d operations in the specs, %d implemented, %d partial, %d not implemented",
			len(f.Operations), f.count(Implemented), f.count(Partial), f.count(NotImplemented))
		if n := f.extras(); n > 0 {
			p("; %d more served beyond the specs", n)
		}
		p(".\n\n")
		if f.ID == MaxCompute && len(rep.MaxComputeRPC) > 0 {
			p("### MaxCompute 2019-06-12 (Alibaba RPC)\n\n")
			p("The old Go SDK's only MaxCompute client (`services/maxcompute`, named in maxcompute-packages.md's\n")
			p("introduction, not catalogued): served at `/` with `Version=2019-06-12`, described in %s.\n\n", docLink("maxcompute-2019"))
			p("| action | status |\n| --- | --- |\n")
			for _, name := range rep.MaxComputeRPC {
				p("| `%s` | implemented |\n", name)
			}
			p("\n")
		}
	}

	p("## Sluice's own APIs\n\n")
	p("Not vendor APIs: listed from their route tables so that this page names everything the server answers.\n\n")
	p("### Native API (`/sluice/v1/`)\n\n")
	p("Described in %s. %d operations:\n\n", docLink("native"), len(rep.Native))
	routeTable(&b, rep.Native)
	p("### Console (`/console/`)\n\n")
	p("Described in %s. %d routes (its JSON API, the sign-in page, the assets and the redirect to the app):\n\n",
		docLink("console"), len(rep.Console))
	routeTable(&b, rep.Console)

	p("## How this page is made\n\n")
	p("From the repository root, with the specs at `../shared/spec`:\n\n")
	p("```\n%s            # rewrites %s from the specs, then this page\n", Command, CatalogueFile)
	p("%s -spec DIR   # specs elsewhere; -spec '' keeps the checked-in catalogue\n```\n\n", Command)
	p("The vendor operations come from the spec files: for DataWorks, the action names the specs write (in code\n")
	p("spans or headings); for MaxCompute and DLI, the rows of the specs' endpoint tables (name, method, path).\n")
	p("Sluice's side comes from `rpc.Actions`, `roa.Routes`, `dli.Routes`, `native.Routes` and `console.Routes`,\n")
	p("which list the very tables the routers serve. The notes of partial operations are kept by hand in\n")
	p("`coverage/notes.go`, and only for operations that are served.\n\n")
	p("`go test ./coverage` fails when this page differs from what the command would write (\"%s is stale\"),\n", PageFile)
	p("when a served REST operation has another method or path than its spec, when a note names an operation\n")
	p("that is not served, when a docs link points at a missing heading, and, where `../shared/spec` is present\n")
	p("(as in CI), when the checked-in catalogue differs from the specs.\n")
	return b.Bytes()
}

// routeTable writes "METHOD /path" patterns as a table.
func routeTable(b *bytes.Buffer, patterns []string) {
	b.WriteString("| method | path |\n| --- | --- |\n")
	for _, pat := range patterns {
		m, path, _ := strings.Cut(pat, " ")
		fmt.Fprintf(b, "| %s | `%s` |\n", m, path)
	}
	b.WriteString("\n")
}
