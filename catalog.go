package sluice

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// The MaxCompute catalogue of a project: its tables and views, functions and resources (the resource
// centre's), and the packages that share them with other projects. Spec: maxcompute-packages.md.

// DefaultSchema is the schema of every object of a two-layer project, and the schema a three-layer
// reference without one resolves to.
const DefaultSchema = "default"

// MaxLabel is the highest sensitivity label; labels run 0 (public, the default) to MaxLabel.
const MaxLabel = 9

// ObjectType is a kind of catalogue object a package can hold (spec §7).
type ObjectType string

const (
	ObjectTable    ObjectType = "table" // tables and views
	ObjectResource ObjectType = "resource"
	ObjectFunction ObjectType = "function"
	ObjectInstance ObjectType = "instance"
)

// TableKind tells a table from a view.
type TableKind string

const (
	KindTable TableKind = "table"
	KindView  TableKind = "view"
)

// Column is one column of a table or view, or one partition column. Label is the column's own
// sensitivity label; the label that governs it is the greater of it and its table's (EffectiveLabel).
// Partition columns carry no label.
type Column struct {
	Name    string
	Type    string // MaxCompute type as declared, lower case: bigint, decimal(10,2), array<struct<a:int>>
	Comment string
	Label   int
}

// CatalogTable is a table or view of a project's catalogue. A table only lineage has named (a committed
// script read or wrote it) is in the catalogue with Described false and no columns until DDL describes it.
type CatalogTable struct {
	ID               int64
	ProjectID        int64
	Project          string // the project's name, filled on reads
	Schema           string // DefaultSchema in a two-layer project
	Name             string // lower case: MaxCompute names are case-insensitive
	Kind             TableKind
	Described        bool // created or described by DDL; false: known from lineage only
	Columns          []Column
	PartitionColumns []Column
	Comment          string
	Lifecycle        int // days the data is kept; 0 means for ever
	Owner            string
	Label            int    // the table's sensitivity label
	ViewText         string // a view's query, as written
	CreatedAt        time.Time
	UpdatedAt        time.Time // the last DDL
	// Derived holds, by column name, the labels columns take from the data they are made of, where those are
	// above their declared ones (LineageLabel). The catalogue fills it on the reads that show a table's
	// columns (DESC, GetTableInfo) and on those a package's label cuts; it is nil elsewhere and never stored.
	Derived map[string]DerivedLabel
}

// EffectiveLabel is the declared label that governs column c of t: the greater of the table's and the
// column's.
func (t *CatalogTable) EffectiveLabel(c Column) int { return max(t.Label, c.Label) }

// LineageLabel is the label that governs column c of t once labels follow the data: the greater of its
// declared effective label and the one it derives from column lineage (t.Derived), with what derives it
// (the zero DerivedLabel when its declared label governs).
func (t *CatalogTable) LineageLabel(c Column) (int, DerivedLabel) {
	if d, ok := t.Derived[c.Name]; ok && d.Label > t.EffectiveLabel(c) {
		return d.Label, d
	}
	return t.EffectiveLabel(c), DerivedLabel{}
}

// DerivedLabel is a label a column takes from upstream: the highest declared effective label among the
// columns its value comes from through current column lineage, transitively. Source is the column guid that
// carries it (of several with that label, the smallest guid); it is left out of what a package's consumer is
// shown. Incomplete says the walk upstream stopped at the lineage graph's limits: nothing then proves the
// column's data less sensitive than MaxLabel, which Label is, with no Source.
type DerivedLabel struct {
	Label      int
	Source     string
	Incomplete bool
}

// DeriveLabels is the rule that labels follow the data. edges point along the data flow, each From a column
// To a column made from it (column guids, or any names a caller keys columns by); declared holds the declared
// effective labels of the columns (absent: 0). A column's label is the highest declared label among itself
// and every column upstream of it; DeriveLabels returns, by column, those above the column's own declared
// label, each with its source. Cycles are allowed.
func DeriveLabels(edges []ColumnGraphEdge, declared map[string]int) map[string]DerivedLabel {
	next := map[string][]string{}
	for _, e := range edges {
		if e.From != "" && e.To != "" && e.From != e.To {
			next[e.From] = append(next[e.From], e.To)
		}
	}
	// Labelled columns in the order that decides sources: the highest label first, then the smallest guid.
	var sources []string
	for guid, label := range declared {
		if label > 0 {
			sources = append(sources, guid)
		}
	}
	slices.SortFunc(sources, func(a, b string) int {
		if c := cmp.Compare(declared[b], declared[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	// Each source claims every column downstream that no earlier source claimed. What an earlier source
	// claimed, it claimed with everything downstream of it, so the walk stops there: each column is visited
	// once.
	claimed := map[string]string{}
	out := map[string]DerivedLabel{}
	for _, src := range sources {
		if _, ok := claimed[src]; ok {
			continue
		}
		claimed[src] = src
		queue := []string{src}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			for _, n := range next[c] {
				if _, ok := claimed[n]; ok {
					continue
				}
				claimed[n] = src
				if declared[src] > declared[n] {
					out[n] = DerivedLabel{Label: declared[src], Source: src}
				}
				queue = append(queue, n)
			}
		}
	}
	return out
}

// Function is a user-defined function of a project's catalogue.
type Function struct {
	ID        int64
	ProjectID int64
	Project   string // the project's name, filled on reads
	Schema    string
	Name      string // lower case
	Class     string // the implementing class, e.g. com.example.Lower, or module.Class for Python
	Resources []string
	Owner     string
	CreatedAt time.Time
}

// TableFilter selects a project's tables, ordered by schema and name. Zero fields do not filter.
type TableFilter struct {
	ProjectID int64
	Schema    string
	Prefix    string // name prefix
	Kind      TableKind
	After     string // only names greater than this (marker paging, within Schema)
	Limit     int    // at most this many; 0 means no limit
}

// FunctionFilter selects a project's functions, ordered by schema and name.
type FunctionFilter struct {
	ProjectID int64
	Schema    string
	Prefix    string
	After     string
	Limit     int
}

// Package is a named bundle of a source project's objects, each with the actions it grants, that the
// projects on its allow-list may install.
type Package struct {
	ID        int64
	ProjectID int64  // the source project
	Project   string // its name, filled on reads
	Name      string // lower case, like every MaxCompute object name
	CreatedAt time.Time
	Objects   []PackageObject // by type, schema and name
	Allowed   []PackageAllow  // by project name
}

// PackageObject is one object of a package and the actions (lower case, spec §7.1) it grants on it.
type PackageObject struct {
	Type    ObjectType
	Schema  string
	Name    string
	Actions []string
}

// PackageAllow lets a project install a package, with the clearance Label: the installing project reads
// only data labelled at or below it.
type PackageAllow struct {
	ProjectID int64
	Project   string // filled on reads
	Label     int
}

// PackageInstall is a package installed into a consumer project.
type PackageInstall struct {
	PackageID       int64
	Package         string // the package's name, filled on reads
	SourceProjectID int64
	SourceProject   string // filled on reads
	ProjectID       int64  // the consumer
	Status          string // always InstallOK: an installation exists or it does not
	InstalledAt     time.Time
}

// InstallOK is the status of every installation (ListPackages' installedPackages[].status).
const InstallOK = "OK"

// PackageListing is what a project shows under SHOW PACKAGES: the packages created in it and those
// installed into it. Listings are shared between callers: they must not be changed.
type PackageListing struct {
	Created   []*Package // without Objects and Allowed
	Installed []*PackageInstall
}

// PackageUpdate changes a package: allow-list entries added (or relabelled) and removed, objects added
// and removed, all or nothing. Removing what is not there is ENOTFOUND, and adding an object the package
// holds is ECONFLICT, as the statements REMOVE and ADD answer.
type PackageUpdate struct {
	Allow         []PackageAllow // by Project name
	Disallow      []string       // project names
	AddObjects    []PackageObject
	RemoveObjects []PackageObject // Type, Schema and Name; Actions ignored
}

// ObjectGrant is what an installed package gives a consumer project on one object of its source project.
type ObjectGrant struct {
	PackageID         int64
	ConsumerProjectID int64
	Actions           []string
	Label             int // the consumer's clearance: the allow-list label
}

// SQLResult is the answer to one statement of a script. Kind says which of the fields below carries it:
// "ok" (Message only), "tables", "functions", "resources", "packages", "table", "function", "resource",
// "package".
type SQLResult struct {
	Statement int    // 1-based index in the script
	Line      int    // where it starts
	Text      string // the statement as written, without its terminating semicolon
	Kind      string
	Message   string

	Tables    []*CatalogTable
	Functions []*Function
	Resources []*Resource
	Packages  *PackageListing
	Table     *CatalogTable
	Function  *Function
	Resource  *Resource
	Package   *Package
}

// SQLResult kinds.
const (
	ResultOK        = "ok"
	ResultTables    = "tables"
	ResultFunctions = "functions"
	ResultResources = "resources"
	ResultPackages  = "packages"
	ResultTable     = "table"
	ResultFunction  = "function"
	ResultResource  = "resource"
	ResultPackage   = "package"
)

// CatalogService is the MaxCompute catalogue on behalf of the caller in ctx. Reads need Read on the project,
// DDL needs Write, labels and packages Manage; the objects of a package installed into a project the caller
// may read are visible to it read-only, within the package's actions and label.
type CatalogService interface {
	// RunSQL runs a script of MaxCompute metadata statements in project, all in one transaction: every
	// statement takes effect or none does. A syntax error is EINVALID with its line and column, before
	// anything runs.
	RunSQL(ctx context.Context, project ProjectRef, script string) ([]*SQLResult, error)

	FindTables(ctx context.Context, project ProjectRef, f TableFilter) ([]*CatalogTable, error)
	// FindCatalogTable returns a table of project: one of the caller's projects, or the source project of a package
	// installed into one of them (columns above the package's label are left out).
	FindCatalogTable(ctx context.Context, project ProjectRef, schema, name string) (*CatalogTable, error)
	FindFunctions(ctx context.Context, project ProjectRef, f FunctionFilter) ([]*Function, error)

	FindPackages(ctx context.Context, project ProjectRef) (*PackageListing, error)
	// FindPackage returns a package created in project (source "" or project's own name), or, with source
	// set, one installed into project from source.
	FindPackage(ctx context.Context, project ProjectRef, name, source string) (*Package, error)
	// CreatePackage creates a package in project with the objects p names.
	CreatePackage(ctx context.Context, project ProjectRef, p Package) (*Package, error)
	UpdatePackage(ctx context.Context, project ProjectRef, name string, u PackageUpdate) (*Package, error)
	// InstallPackage installs source's package into project; UninstallPackage removes it.
	InstallPackage(ctx context.Context, project ProjectRef, source, name string) (*PackageInstall, error)
	UninstallPackage(ctx context.Context, project ProjectRef, source, name string) error
}

// CatalogStore keeps catalogues and packages. Every read and change runs through a CatalogTx, inside one
// transaction; the rules are the core's.
type CatalogStore interface {
	// ReadCatalog runs fn in a read-only transaction.
	ReadCatalog(ctx context.Context, fn func(tx CatalogTx) error) error
	// UpdateCatalog runs fn in one write transaction, holding the catalogue lock of every project in
	// projectIDs (taken in id order, so two updates never deadlock), and commits when fn returns nil.
	// Two updates that share a project run one after the other.
	UpdateCatalog(ctx context.Context, projectIDs []int64, fn func(tx CatalogTx) error) error
}

// CatalogTx is one transaction over the catalogue. Finds of one object answer ENOTFOUND when it is missing;
// names are compared as given (the core lower-cases them).
type CatalogTx interface {
	FindTable(ctx context.Context, projectID int64, schema, name string) (*CatalogTable, error)
	FindTables(ctx context.Context, f TableFilter) ([]*CatalogTable, error)
	// PutTable inserts t, or replaces the table of its project, schema and name; it fills ID and, on
	// insert, CreatedAt (UpdatedAt is always the transaction's time).
	PutTable(ctx context.Context, t *CatalogTable) error
	DeleteTable(ctx context.Context, projectID int64, schema, name string) error

	FindFunction(ctx context.Context, projectID int64, schema, name string) (*Function, error)
	FindFunctions(ctx context.Context, f FunctionFilter) ([]*Function, error)
	// CreateFunction inserts f (ECONFLICT when the name is taken), filling ID and CreatedAt.
	CreateFunction(ctx context.Context, f *Function) error
	DeleteFunction(ctx context.Context, projectID int64, schema, name string) error

	// FindResourcesNamed returns the project's resources called name, in any group.
	FindResourcesNamed(ctx context.Context, projectID int64, name string) ([]*Resource, error)

	// FindPackage returns a package with its Objects and Allowed.
	FindPackage(ctx context.Context, projectID int64, name string) (*Package, error)
	// FindPackages returns a project's packages by name, without Objects and Allowed.
	FindPackages(ctx context.Context, projectID int64) ([]*Package, error)
	CountPackages(ctx context.Context, projectID int64) (int, error)
	// CreatePackage inserts p and its Objects and Allowed (ECONFLICT when the name is taken in any case),
	// filling ID and CreatedAt.
	CreatePackage(ctx context.Context, p *Package) error
	// DeletePackage removes a package with its objects, allow-list and installations.
	DeletePackage(ctx context.Context, id int64) error
	// AddPackageObject adds o (ECONFLICT when the package holds it already).
	AddPackageObject(ctx context.Context, packageID int64, o PackageObject) error
	// RemovePackageObject removes an object; false when the package did not hold it.
	RemovePackageObject(ctx context.Context, packageID int64, typ ObjectType, schema, name string) (bool, error)
	// RemoveObjectEverywhere takes a dropped object out of every package of its project.
	RemoveObjectEverywhere(ctx context.Context, projectID int64, typ ObjectType, schema, name string) error
	// PutPackageAllow adds a project to the allow-list, or changes its label.
	PutPackageAllow(ctx context.Context, packageID int64, a PackageAllow) error
	// DeletePackageAllow removes a project from the allow-list, and its installation; false when it was not
	// on it.
	DeletePackageAllow(ctx context.Context, packageID, projectID int64) (bool, error)

	// CreateInstall records an installation (ECONFLICT when installed already), filling InstalledAt.
	CreateInstall(ctx context.Context, in *PackageInstall) error
	// DeleteInstall removes one; false when there was none.
	DeleteInstall(ctx context.Context, packageID, projectID int64) (bool, error)
	// PackageListingVersion moves on with every change of what FindPackages and FindInstalls answer for a
	// project (0 before the first): a listing read at one version may be reused while it stays.
	PackageListingVersion(ctx context.Context, projectID int64) (int64, error)
	// FindInstalls returns what is installed into a project, by source project and package name.
	FindInstalls(ctx context.Context, projectID int64) ([]*PackageInstall, error)
	// CountInstalls counts a package's installations.
	CountInstalls(ctx context.Context, packageID int64) (int, error)

	// FindGrants returns what the packages installed into any of consumerIDs grant on one object of
	// sourceID: one grant per installation whose package holds the object (or, for a name added as "*",
	// every object of its type).
	FindGrants(ctx context.Context, consumerIDs []int64, sourceID int64, typ ObjectType, schema, name string) ([]ObjectGrant, error)
}
