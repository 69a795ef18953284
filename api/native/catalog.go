package native

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba"
)

// maxScript bounds the body of RunSQL. Scripts of generated DDL (a warehouse's worth of CREATE TABLE) run
// well past the 1 MiB other operations allow.
const maxScript = 16 << 20

// SQLScript is the body of RunSQL.
type SQLScript struct {
	Script string `json:"script"`
}

// SQLResults is what RunSQL answers: one result per statement, in script order.
type SQLResults struct {
	Results []SQLResult `json:"results"`
}

// SQLResult is the answer to one statement. Kind says which payload field is set: "ok" (message only),
// "tables", "functions", "resources", "packages", "table", "function", "resource" or "package". A listing
// is present (possibly []) exactly when its kind is; every other payload is left out.
type SQLResult struct {
	Statement int    `json:"statement"` // 1-based index in the script
	Line      int    `json:"line"`      // where the statement starts
	Text      string `json:"text"`      // as written, without the terminating semicolon
	Kind      string `json:"kind"`
	Message   string `json:"message"`

	Tables    []CatalogTable  `json:"tables,omitzero"`
	Functions []Function      `json:"functions,omitzero"`
	Resources []Resource      `json:"resources,omitzero"`
	Packages  *PackageListing `json:"packages,omitempty"`
	Table     *CatalogTable   `json:"table,omitempty"`
	Function  *Function       `json:"function,omitempty"`
	Resource  *Resource       `json:"resource,omitempty"`
	Package   *Package        `json:"package,omitempty"`
}

// CatalogTable is a table or view of a project's catalogue on the wire. Label is the table's own
// sensitivity label; a column's label is its own, and the greater of the two governs it unless the column
// derives a higher one from lineage (Column.EffectiveLabel).
type CatalogTable struct {
	Project          string    `json:"project"`
	Schema           string    `json:"schema"`
	Name             string    `json:"name"`
	Kind             string    `json:"kind"`      // table or view
	Described        bool      `json:"described"` // false: known from lineage only, no columns yet
	Columns          []Column  `json:"columns"`
	PartitionColumns []Column  `json:"partitionColumns"`
	Comment          string    `json:"comment"`
	Lifecycle        int       `json:"lifecycle"` // days; 0 is for ever
	Owner            string    `json:"owner"`
	Label            int       `json:"label"`
	ViewText         string    `json:"viewText,omitempty"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt"` // the last DDL
}

// Column is a column or partition column on the wire. EffectiveLabel is the label that governs a column
// once labels follow the data: the greatest of its own, its table's and those of the columns it derives
// from; LabelSource names the column that derives it when that is above the declared ones (left out for a
// package's consumer), and LabelIncomplete says lineage upstream was too large to follow, so it counts as 9.
// The three are left out when there is nothing to say (partition columns, label 0, listings, which do not
// follow lineage).
type Column struct {
	Name            string `json:"name"`
	Type            string `json:"type"`
	Comment         string `json:"comment"`
	Label           int    `json:"label"`
	EffectiveLabel  int    `json:"effectiveLabel,omitempty"`
	LabelSource     string `json:"labelSource,omitempty"`
	LabelIncomplete bool   `json:"labelIncomplete,omitempty"`
}

// Function is a user-defined function on the wire.
type Function struct {
	Project   string    `json:"project"`
	Schema    string    `json:"schema"`
	Name      string    `json:"name"`
	Class     string    `json:"class"`
	Resources []string  `json:"resources"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"createdAt"`
}

// Package is a package on the wire. Objects and Allowed are present when it is described, left out of
// listings.
type Package struct {
	Project   string          `json:"project"` // the source project
	Name      string          `json:"name"`
	CreatedAt time.Time       `json:"createdAt"`
	Objects   []PackageObject `json:"objects,omitzero"`
	Allowed   []PackageAllow  `json:"allowed,omitzero"`
}

// PackageObject is an object of a package and the actions (lower case) it grants.
type PackageObject struct {
	Type    string   `json:"type"` // table, resource, function or instance
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// PackageAllow is a project allowed to install a package, with its label clearance.
type PackageAllow struct {
	Project string `json:"project"`
	Label   int    `json:"label"`
}

// PackageInstall is a package installed into the project.
type PackageInstall struct {
	Package       string    `json:"package"`
	SourceProject string    `json:"sourceProject"`
	Status        string    `json:"status"`
	InstalledAt   time.Time `json:"installedAt"`
}

// PackageListing is SHOW PACKAGES: the packages created in the project and those installed into it.
type PackageListing struct {
	Created   []Package        `json:"created"`
	Installed []PackageInstall `json:"installed"`
}

// runSQL runs a script of metadata statements in the project, all in one transaction. The body is read
// here rather than by serve, which bounds every other operation's at 1 MiB; it is authenticated as a
// streamed body, by the SHA-256 the signature covers, and compared with it before anything runs.
func (s *server) runSQL(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	body, err := api.ReadBody(r, maxScript)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(body); !strings.EqualFold(hex.EncodeToString(sum[:]), r.Header.Get("x-acs-content-sha256")) {
		return nil, &alibaba.Problem{Status: http.StatusBadRequest, Code: "InvalidParameter",
			Message: "x-acs-content-sha256 does not match the SHA-256 of the request body"}
	}
	var in SQLScript
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	results, err := s.Catalog.RunSQL(ctx, ref(r), in.Script)
	if err != nil {
		return nil, err
	}
	out := SQLResults{Results: make([]SQLResult, 0, len(results))}
	for _, res := range results {
		out.Results = append(out.Results, wireSQLResult(res))
	}
	return out, nil
}

func wireSQLResult(r *sluice.SQLResult) SQLResult {
	w := SQLResult{Statement: r.Statement, Line: r.Line, Text: r.Text, Kind: r.Kind, Message: r.Message}
	// Listings are set by kind, not by what the core filled, so that an empty one is [] rather than
	// missing.
	switch r.Kind {
	case sluice.ResultTables:
		w.Tables = make([]CatalogTable, 0, len(r.Tables))
		for _, t := range r.Tables {
			w.Tables = append(w.Tables, wireTable(t))
		}
	case sluice.ResultFunctions:
		w.Functions = make([]Function, 0, len(r.Functions))
		for _, f := range r.Functions {
			w.Functions = append(w.Functions, wireFunction(f))
		}
	case sluice.ResultResources:
		w.Resources = make([]Resource, 0, len(r.Resources))
		for _, res := range r.Resources {
			w.Resources = append(w.Resources, wireResource(res))
		}
	case sluice.ResultPackages:
		l := PackageListing{Created: []Package{}, Installed: []PackageInstall{}}
		if r.Packages != nil {
			for _, p := range r.Packages.Created {
				l.Created = append(l.Created, Package{Project: p.Project, Name: p.Name, CreatedAt: p.CreatedAt})
			}
			for _, in := range r.Packages.Installed {
				l.Installed = append(l.Installed, PackageInstall{Package: in.Package, SourceProject: in.SourceProject,
					Status: in.Status, InstalledAt: in.InstalledAt})
			}
		}
		w.Packages = &l
	}
	if r.Table != nil {
		t := wireTable(r.Table)
		w.Table = &t
	}
	if r.Function != nil {
		f := wireFunction(r.Function)
		w.Function = &f
	}
	if r.Resource != nil {
		res := wireResource(r.Resource)
		w.Resource = &res
	}
	if r.Package != nil {
		p := wirePackage(r.Package)
		w.Package = &p
	}
	return w
}

func wireTable(t *sluice.CatalogTable) CatalogTable {
	return CatalogTable{Project: t.Project, Schema: t.Schema, Name: t.Name, Kind: string(t.Kind), Described: t.Described,
		Columns: wireColumns(t.Columns, t), PartitionColumns: wireColumns(t.PartitionColumns, nil), Comment: t.Comment,
		Lifecycle: t.Lifecycle, Owner: t.Owner, Label: t.Label, ViewText: t.ViewText, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// wireColumns puts columns on the wire, with the labels that govern them when t, their table, is given and
// was read with its lineage's labels (a listing is not).
func wireColumns(cs []sluice.Column, t *sluice.CatalogTable) []Column {
	out := make([]Column, len(cs))
	for i, c := range cs {
		out[i] = Column{Name: c.Name, Type: c.Type, Comment: c.Comment, Label: c.Label}
		if t != nil && t.Derived != nil {
			label, d := t.LineageLabel(c)
			out[i].EffectiveLabel, out[i].LabelSource, out[i].LabelIncomplete = label, d.Source, d.Incomplete
		}
	}
	return out
}

func wireFunction(f *sluice.Function) Function {
	res := f.Resources
	if res == nil {
		res = []string{}
	}
	return Function{Project: f.Project, Schema: f.Schema, Name: f.Name, Class: f.Class, Resources: res, Owner: f.Owner, CreatedAt: f.CreatedAt}
}

func wirePackage(p *sluice.Package) Package {
	w := Package{Project: p.Project, Name: p.Name, CreatedAt: p.CreatedAt, Objects: []PackageObject{}, Allowed: []PackageAllow{}}
	for _, o := range p.Objects {
		actions := o.Actions
		if actions == nil {
			actions = []string{}
		}
		w.Objects = append(w.Objects, PackageObject{Type: string(o.Type), Schema: o.Schema, Name: o.Name, Actions: actions})
	}
	for _, a := range p.Allowed {
		w.Allowed = append(w.Allowed, PackageAllow{Project: a.Project, Label: a.Label})
	}
	return w
}
