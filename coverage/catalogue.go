// Package coverage builds docs/coverage.md, the page that lists every operation of the vendor APIs Sluice
// speaks (DataWorks 2020-05-18, MaxCompute 2022-01-04, DLI) with its status in Sluice: implemented, partial
// (with what is missing) or not implemented.
//
// The vendor side is a catalogue, operations.json, read from the wire specs (../shared/spec beside the
// repository) by ParseSpec and checked in, so that building the page needs no spec. Sluice's side comes
// from the route tables the routers serve (rpc.Actions, roa.Routes, dli.Routes, native.Routes,
// console.Routes). go run ./cmd/sluice-coverage regenerates both files; the tests fail when either is
// stale.
package coverage

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Operation is one vendor operation as its spec names it.
type Operation struct {
	Name    string `json:"name"`             // the action or SDK method name, e.g. "ListFiles"
	Method  string `json:"method,omitempty"` // REST faces: the HTTP method
	Path    string `json:"path,omitempty"`   // REST faces: the path pattern, without the query
	Section string `json:"section"`          // where the spec describes it, e.g. "dataworks-files-lineage.md §1"
}

// Face is one vendor API and the operations of it the specs name.
type Face struct {
	ID         string      `json:"id"`    // "dataworks", "maxcompute", "dli"
	Title      string      `json:"title"` // e.g. "DataWorks 2020-05-18 (Alibaba RPC)"
	Specs      []string    `json:"specs"` // the spec files read, in order
	Operations []Operation `json:"operations"`
}

// Catalogue is the vendor operations of every face, in a fixed face order, each face's operations by name.
type Catalogue struct {
	Faces []Face `json:"faces"`
}

// Face IDs.
const (
	DataWorks  = "dataworks"
	MaxCompute = "maxcompute"
	DLI        = "dli"
)

// CatalogueFile is the checked-in catalogue, relative to the repository root.
const CatalogueFile = "coverage/operations.json"

//go:embed operations.json
var catalogueJSON []byte

// Load returns the checked-in catalogue.
func Load() (*Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(catalogueJSON, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", CatalogueFile, err)
	}
	return &c, nil
}

// Encode returns the catalogue as operations.json holds it.
func (c *Catalogue) Encode() []byte {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil { // plain strings and slices: cannot fail
		panic(err)
	}
	return append(b, '\n')
}

// face returns the face with id, or nil.
func (c *Catalogue) face(id string) *Face {
	for i := range c.Faces {
		if c.Faces[i].ID == id {
			return &c.Faces[i]
		}
	}
	return nil
}

// ParseSpec reads the catalogue from the spec files in dir (../shared/spec).
//
// DataWorks is an RPC API: its operations are the action names the spec writes in code spans or in
// headings (verbs Create, Get, List, … followed by a capital), less the few such names that are
// fields or SDK functions (notOperations). MaxCompute 2022-01-04 and DLI are REST APIs: their operations
// are the rows of the spec's endpoint tables, those with a cell holding only HTTP methods, the names in the
// cell before it and the paths in the cell after. Names only mentioned in prose (the spec's "there is no
// DeletePackage") are not operations.
func ParseSpec(dir string) (*Catalogue, error) {
	dw, err := parseRPC(dir, "dataworks-files-lineage.md", "alibaba-rpc.md")
	if err != nil {
		return nil, err
	}
	mc, err := parseREST(dir, "maxcompute-packages.md", "/api/v1/projects/{projectName}")
	if err != nil {
		return nil, err
	}
	dli, err := parseREST(dir, "dli-resources.md", "")
	if err != nil {
		return nil, err
	}
	return &Catalogue{Faces: []Face{
		{ID: DataWorks, Title: "DataWorks 2020-05-18 (Alibaba RPC)", Specs: []string{"dataworks-files-lineage.md", "alibaba-rpc.md"}, Operations: dw},
		{ID: MaxCompute, Title: "MaxCompute 2022-01-04 (Alibaba ROA)", Specs: []string{"maxcompute-packages.md"}, Operations: mc},
		{ID: DLI, Title: "DLI (Huawei REST)", Specs: []string{"dli-resources.md"}, Operations: dli},
	}}, nil
}

// rpcName is an action name as DataWorks spells them.
var rpcName = regexp.MustCompile(`^(Create|Get|List|Update|Delete|Submit|Deploy|Register)[A-Z][A-Za-z]*$`)

// notOperations are names rpcName matches that the DataWorks specs use for fields, parameters or SDK
// functions, not actions. A new name in the spec that is neither an action nor listed here shows up in
// the catalogue, and the catalogue test fails until someone decides.
var notOperations = map[string]bool{
	"CreateFolderIfNotExists": true, // CreateFile parameter
	"CreateTime":              true, // field
	"CreateUser":              true, // field
	"DeployDate":              true, // field
	"GetAuthorization":        true, // DARA signing function
	"GetRPCSignature":         true, // DARA signing function
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	word     = regexp.MustCompile(`[A-Za-z]+`)
	heading  = regexp.MustCompile(`^#+\s+(?:(\d+(?:\.\d+)*)\.?\s)?`)
	methods  = regexp.MustCompile(`^(GET|POST|PUT|DELETE|PATCH)( / (GET|POST|PUT|DELETE|PATCH))*$`)
)

// found is where one name appears in a spec: in a heading that names it, first under a numbered
// section, first at all.
type found struct {
	op                      Operation
	inHeading, numbered, at string
}

func (f *found) section() string {
	for _, s := range []string{f.inHeading, f.numbered, f.at} {
		if s != "" {
			return s
		}
	}
	return ""
}

// specLines calls fn for each line of file with the section it is in ("file §N" of the nearest numbered
// heading, or "file" before the first one) and whether the line is a heading.
func specLines(dir, file string, fn func(line, section string, numbered, isHeading bool)) error {
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	section, numbered := file, false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	fence := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		isHeading := false
		if m := heading.FindStringSubmatch(line); m != nil {
			isHeading = true
			if m[1] != "" {
				section, numbered = file+" §"+m[1], true
			}
		}
		fn(line, section, numbered, isHeading)
	}
	return sc.Err()
}

// parseRPC reads the action names of the files, in file order. A code span may run over a line break, so
// prose is read a paragraph at a time.
func parseRPC(dir string, files ...string) ([]Operation, error) {
	seen := map[string]*found{}
	note := func(text, section string, numbered, isHeading bool) {
		var names []string
		for _, m := range codeSpan.FindAllStringSubmatch(text, -1) {
			names = append(names, m[1])
		}
		if isHeading {
			names = append(names, word.FindAllString(text, -1)...)
		}
		for _, n := range names {
			if !rpcName.MatchString(n) || notOperations[n] {
				continue
			}
			f := seen[n]
			if f == nil {
				f = &found{op: Operation{Name: n}, at: section}
				seen[n] = f
			}
			if numbered && f.numbered == "" {
				f.numbered = section
			}
			if isHeading && f.inHeading == "" {
				f.inHeading = section
			}
		}
	}
	for _, file := range files {
		var para []string
		var paraSection string
		var paraNumbered bool
		flush := func() {
			if len(para) > 0 {
				note(strings.Join(para, "\n"), paraSection, paraNumbered, false)
			}
			para = nil
		}
		err := specLines(dir, file, func(line, section string, numbered, isHeading bool) {
			switch {
			case isHeading || strings.HasPrefix(strings.TrimSpace(line), "|"):
				flush()
				note(line, section, numbered, isHeading)
			case strings.TrimSpace(line) == "":
				flush()
			default:
				if len(para) == 0 {
					paraSection, paraNumbered = section, numbered
				}
				para = append(para, line)
			}
		})
		if err != nil {
			return nil, err
		}
		flush()
	}
	return operations(seen), nil
}

// parseREST reads the endpoint table rows of file. base is what a path written "…/x" stands under.
func parseREST(dir, file, base string) ([]Operation, error) {
	seen := map[string]*found{}
	var headings []struct{ line, section string }
	err := specLines(dir, file, func(line, section string, numbered, isHeading bool) {
		if isHeading {
			headings = append(headings, struct{ line, section string }{line, section})
			return
		}
		cells := tableCells(line)
		for i := 1; i+1 < len(cells); i++ {
			if !methods.MatchString(cells[i]) {
				continue
			}
			for _, op := range rowOperations(cells[i-1], cells[i], cells[i+1], base) {
				if seen[op.Name] == nil {
					seen[op.Name] = &found{op: op, at: section}
				}
			}
			break
		}
	})
	if err != nil {
		return nil, err
	}
	// A heading that names an operation (in a code span or as a word) is where it is described.
	for name, f := range seen {
		for _, h := range headings {
			if strings.Contains(h.line, "`"+name+"`") || containsWord(h.line, name) {
				f.inHeading = h.section
				break
			}
		}
	}
	return operations(seen), nil
}

func containsWord(line, name string) bool {
	for _, w := range word.FindAllString(line, -1) {
		if w == name {
			return true
		}
	}
	return false
}

// tableCells splits a Markdown table row into its trimmed cells ("\|" is a pipe inside a cell); a line
// that is not a row has none.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return nil
	}
	line = strings.ReplaceAll(line, `\|`, "\x00")
	parts := strings.Split(strings.Trim(line, "|"), "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(p, "\x00", "|"))
	}
	return parts
}

// rowOperations reads the operations of one endpoint row. The MaxCompute spec folds several operations
// into a row: "`CreateProject` / `DeleteProject` | POST / DELETE | `/api/v1/projects` / `…/{projectName}`"
// pairs names with methods and paths by position; one method or one path is shared by every name; "…X"
// after a first name "VerbNounRest" is "VerbNounX"; a path "…/x" is base + "/x"; a later single-segment
// path "/x" replaces the first path's last segment.
func rowOperations(nameCell, methodCell, pathCell, base string) []Operation {
	var names []string
	for _, m := range codeSpan.FindAllStringSubmatch(nameCell, -1) {
		n := m[1]
		if strings.HasPrefix(n, "…") && len(names) > 0 {
			n = verbNoun(names[0]) + strings.TrimPrefix(n, "…")
		}
		names = append(names, n)
	}
	ms := strings.Split(methodCell, " / ")
	var paths []string
	for _, m := range codeSpan.FindAllStringSubmatch(pathCell, -1) {
		p, _, _ := strings.Cut(m[1], "?")
		switch {
		case strings.HasPrefix(p, "…"):
			p = base + strings.TrimPrefix(p, "…")
		case len(paths) > 0 && strings.Count(p, "/") == 1:
			p = path.Dir(paths[0]) + p
		}
		paths = append(paths, p)
	}
	pick := func(list []string, i int) string {
		switch {
		case len(list) == 1:
			return list[0]
		case i < len(list):
			return list[i]
		}
		return ""
	}
	var out []Operation
	for i, n := range names {
		out = append(out, Operation{Name: n, Method: pick(ms, i), Path: pick(paths, i)})
	}
	return out
}

// verbNoun is the first two words of a PascalCase name: "UpdateProjectBasicMeta" -> "UpdateProject".
func verbNoun(name string) string {
	words := 0
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			words++
			if words == 3 {
				return name[:i]
			}
		}
	}
	return name
}

// operations returns what was found, by name.
func operations(seen map[string]*found) []Operation {
	out := make([]Operation, 0, len(seen))
	for _, f := range seen {
		op := f.op
		op.Section = f.section()
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
