// Package mcsql parses the MaxCompute metadata statements Sluice runs: table, view and function DDL, labels,
// SHOW and DESCRIBE, and the package statements of maxcompute-packages.md §7, written as odpscmd users type
// them. It only parses: what a statement means is the core's to decide. Statements that read or write data
// (SELECT, INSERT, ...) are recognised and refused with a clear message, never half-parsed.
package mcsql

import "strconv"

// Pos is where a statement or token starts: 1-based line and column (in characters), and the byte offset.
type Pos struct {
	Line   int
	Column int
	Offset int
}

// Statement is one parsed statement. Every statement type below implements it.
type Statement interface {
	// Start is where the statement starts.
	Start() Pos
	// Source is the statement's text as written, without the terminating semicolon, trimmed.
	Source() string
}

// Node carries what every statement has; parsers fill it.
type Node struct {
	Pos  Pos
	Text string
}

func (n Node) Start() Pos     { return n.Pos }
func (n Node) Source() string { return n.Text }

// Name is a possibly qualified object name: name, project.name or project.schema.name. Parts are as written
// (backquotes removed), not case-folded.
type Name struct {
	Project string
	Schema  string
	Name    string
}

// ColumnDef is a column as declared: name, type (normalised: lower case, no spaces, e.g. "decimal(10,2)",
// "map<string,array<bigint>>") and comment.
type ColumnDef struct {
	Name    string
	Type    string
	Comment string
}

// CreateTable is CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name (columns) [COMMENT ...] [PARTITIONED BY (...)]
// [LIFECYCLE n], or CREATE TABLE [IF NOT EXISTS] name LIKE other [LIFECYCLE n]. Clauses that only concern
// storage (CLUSTERED BY, STORED AS, TBLPROPERTIES, ...) are accepted and ignored; CREATE TABLE ... AS SELECT
// is refused (it writes data).
type CreateTable struct {
	Node
	IfNotExists bool
	Name        Name
	Like        *Name
	Columns     []ColumnDef
	Partitions  []ColumnDef
	Comment     *string
	Lifecycle   *int
}

// CreateView is CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(col [COMMENT ...], ...)] [COMMENT ...] AS query.
// The query is kept as text, never run.
type CreateView struct {
	Node
	OrReplace   bool
	IfNotExists bool
	Name        Name
	Columns     []ColumnDef // Type empty: a view's column types come from its query
	Comment     *string
	Query       string
}

// DropTable is DROP TABLE [IF EXISTS] name, or DROP VIEW when View.
type DropTable struct {
	Node
	View     bool
	IfExists bool
	Name     Name
}

// AlterTable is one ALTER TABLE (or ALTER VIEW, when View) statement; exactly one change field is set.
type AlterTable struct {
	Node
	View bool
	Name Name

	AddColumns    []ColumnDef // ADD COLUMNS (c type [COMMENT ...], ...)
	IfNotExists   bool        // ADD COLUMNS IF NOT EXISTS: columns the table has already are skipped, not an error
	DropColumns   []string    // DROP COLUMNS c1, c2
	Comment       *string     // SET COMMENT '...'
	Lifecycle     *int        // SET LIFECYCLE n
	RenameTo      *Name       // RENAME TO new
	ColumnComment *ColumnDef  // CHANGE COLUMN c COMMENT '...' (Name and Comment set)
	RenameColumn  *[2]string  // CHANGE COLUMN old RENAME TO new
}

// CreateFunction is CREATE FUNCTION name AS 'class' USING 'res1,res2' (or USING 'res1', 'res2').
type CreateFunction struct {
	Node
	Name      Name
	Class     string
	Resources []string
}

// DropFunction is DROP FUNCTION [IF EXISTS] name.
type DropFunction struct {
	Node
	IfExists bool
	Name     Name
}

// SetLabel is SET LABEL n TO TABLE name [(col, ...)]: the table's label, or the named columns'.
type SetLabel struct {
	Node
	Label   int
	Table   Name
	Columns []string
}

// SetFlag is SET key=value, a session flag (odps.sql.type.system.odps2=true, ...). It has no effect on
// metadata.
type SetFlag struct {
	Node
	Key   string
	Value string
}

// Show is SHOW TABLES | VIEWS | FUNCTIONS | RESOURCES | PACKAGES [IN project] [LIKE 'pattern'].
type Show struct {
	Node
	What    string // "tables", "views", "functions", "resources" or "packages"
	Project string // IN project, "" for the current one
	Like    string // pattern with * and % as wildcards; "" matches all
}

// Describe is DESC[RIBE] [EXTENDED] [TABLE] name, DESC FUNCTION name, DESC RESOURCE name,
// DESC[RIBE] PACKAGE [project.]name.
type Describe struct {
	Node
	What     string // "table", "function", "resource" or "package"
	Extended bool
	Name     Name // for a package, Project is the source project
}

// Package statements (maxcompute-packages.md §7).

// CreatePackage is CREATE PACKAGE name.
type CreatePackage struct {
	Node
	Name string
}

// DropPackage is DROP PACKAGE name or DELETE PACKAGE name.
type DropPackage struct {
	Node
	Name string
}

// AddToPackage is ADD type name TO PACKAGE pkg [WITH PRIVILEGES p1, p2]. Object is "*" for every object of
// the type. Privileges are as written (any case); nil when the clause is absent.
type AddToPackage struct {
	Node
	ObjectType string // "table", "resource", "function" or "instance", lower case
	Object     Name
	Package    string
	Privileges []string
}

// RemoveFromPackage is REMOVE type name FROM PACKAGE pkg.
type RemoveFromPackage struct {
	Node
	ObjectType string
	Object     Name
	Package    string
}

// AllowProject is ALLOW PROJECT p TO INSTALL PACKAGE pkg [USING LABEL n]; Label is nil without the clause.
type AllowProject struct {
	Node
	Project string
	Package string
	Label   *int
}

// DisallowProject is DISALLOW PROJECT p TO INSTALL PACKAGE pkg.
type DisallowProject struct {
	Node
	Project string
	Package string
}

// InstallPackage is INSTALL PACKAGE source.pkg. (The field is SourceProject: Source is Statement's method.)
type InstallPackage struct {
	Node
	SourceProject string
	Package       string
}

// UninstallPackage is UNINSTALL PACKAGE source.pkg.
type UninstallPackage struct {
	Node
	SourceProject string
	Package       string
}

// Error is a syntax error, or a statement Sluice refuses to run (Refused), at Pos.
type Error struct {
	Pos     Pos
	Msg     string
	Refused bool // a well-formed statement that reads or writes data, or otherwise is not metadata
}

func (e *Error) Error() string {
	return "line " + strconv.Itoa(e.Pos.Line) + ", column " + strconv.Itoa(e.Pos.Column) + ": " + e.Msg
}
