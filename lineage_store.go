package sluice

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// TableRef names a MaxCompute table by its guid: odps.<project>.<table>, or odps.<project>.<schema>.<table> in
// a three-layer project. Every part is lower case.
type TableRef struct {
	Project string
	Schema  string // "" in a two-layer project
	Name    string
}

// TableGuidPrefix is the data-source prefix of MaxCompute table guids, the only kind Sluice catalogues.
const TableGuidPrefix = "odps."

// ParseTableGuid parses a table guid. Parts are lower-cased; empty parts, blanks and more than four parts are
// refused with EINVALID.
func ParseTableGuid(guid string) (TableRef, error) {
	s := strings.ToLower(strings.TrimSpace(guid))
	if !strings.HasPrefix(s, TableGuidPrefix) {
		return TableRef{}, Errorf(EINVALID, "The table guid %q is invalid: use odps.<project>.<table>.", guid)
	}
	parts := strings.Split(strings.TrimPrefix(s, TableGuidPrefix), ".")
	for _, p := range parts {
		if p == "" || strings.ContainsAny(p, " \t\r\n\x00`'\"") {
			return TableRef{}, Errorf(EINVALID, "The table guid %q is invalid: use odps.<project>.<table>.", guid)
		}
	}
	switch len(parts) {
	case 2:
		return TableRef{Project: parts[0], Name: parts[1]}, nil
	case 3:
		return TableRef{Project: parts[0], Schema: parts[1], Name: parts[2]}, nil
	}
	return TableRef{}, Errorf(EINVALID, "The table guid %q is invalid: use odps.<project>.<table> or odps.<project>.<schema>.<table>.", guid)
}

// ResolveTableName turns a table name as the lineage parser reports it (t, project.t or project.schema.t) into a
// TableRef, resolving an unqualified name against project. It reports false for a name that is not a table
// name (empty parts, more than three parts).
func ResolveTableName(name, project string) (TableRef, bool) {
	parts := strings.Split(strings.ToLower(name), ".")
	for _, p := range parts {
		if p == "" {
			return TableRef{}, false
		}
	}
	project = strings.ToLower(project)
	switch len(parts) {
	case 1:
		return TableRef{Project: project, Name: parts[0]}, project != ""
	case 2:
		return TableRef{Project: parts[0], Name: parts[1]}, true
	case 3:
		return TableRef{Project: parts[0], Schema: parts[1], Name: parts[2]}, true
	}
	return TableRef{}, false
}

// Guid returns the table's guid.
func (t TableRef) Guid() string { return TableGuidPrefix + t.OutputName() }

// OutputName is the DataWorks output name of a node producing the table: <project>.<table>, or
// <project>.<schema>.<table>.
func (t TableRef) OutputName() string {
	if t.Schema != "" {
		return t.Project + "." + t.Schema + "." + t.Name
	}
	return t.Project + "." + t.Name
}

func (t TableRef) String() string { return t.Guid() }

// Table is a catalogued table: one a committed file (or a manual lineage relation) of a project has named.
type Table struct {
	Guid      string
	Ref       TableRef
	ProjectID int64     // the Sluice project whose catalogue holds it
	CreatedAt time.Time // when that catalogue first saw it
}

// Lineage directions.
type LineageDirection string

const (
	Upstream   LineageDirection = "up"   // what a table is made from
	Downstream LineageDirection = "down" // what is made from a table
)

// VersionLineage is the table lineage of one committed file version: the guids it reads and writes, and the
// statements the parser did not understand. Parsed is false when the version was not parsed (not a SQL type,
// or AutoParsing off); Inputs and Outputs may still hold manual outputs then.
type VersionLineage struct {
	FileID  int64
	Version int
	Parsed  bool
	Dialect string
	Inputs  []string // table guids, sorted, no duplicates
	Outputs []string
	Errors  []LineageError
	Columns []ColumnEdge // column lineage, sorted by target then source, no duplicate pair
}

// Column lineage kinds (see the column-lineage spec): how a target column's value comes from its sources.
const (
	ColumnDirect      = "direct"      // passed through unchanged (rename, CAST, UNION of pass-throughs)
	ColumnExpression  = "expression"  // computed
	ColumnAggregation = "aggregation" // an aggregate function is on the way
	ColumnConstant    = "constant"    // a literal or scheduler variable: no source
)

// ColumnEdge is one column a committed version writes (Target) and one column its value comes from (Source),
// both column guids odps.<project>.<table>.<column>. A target with no source at all (a constant, count(*)) is
// kept as one edge with Source "", so that a version's column lineage still lists every column it writes.
type ColumnEdge struct {
	Target string
	Source string
	Kind   string
}

// SortColumnEdges returns edges sorted by target, source and kind, keeping the first edge of each (target,
// source): a script writing the same column twice from the same source (a multi-insert) has one edge of it,
// whatever order the extractor reported the statements in. A version's column lineage is kept in this form.
func SortColumnEdges(edges []ColumnEdge) []ColumnEdge {
	out := slices.Clone(edges)
	slices.SortFunc(out, func(a, b ColumnEdge) int {
		return cmp.Or(strings.Compare(a.Target, b.Target), strings.Compare(a.Source, b.Source), strings.Compare(a.Kind, b.Kind))
	})
	return slices.CompactFunc(out, func(a, b ColumnEdge) bool { return a.Target == b.Target && a.Source == b.Source })
}

// ColumnRef names a column of a MaxCompute table: its guid is the table's guid and the column name.
type ColumnRef struct {
	Table  TableRef
	Column string // lower case
}

// Guid returns the column's guid.
func (c ColumnRef) Guid() string { return c.Table.Guid() + "." + c.Column }

func (c ColumnRef) String() string { return c.Guid() }

// ParseColumnGuid parses a column guid: odps.<project>.<table>.<column>, or odps.<project>.<schema>.<table>.<column>.
// A column guid always ends with the column, so four parts after odps. are a schema-qualified table. Parts are
// lower-cased; a malformed guid is EINVALID.
func ParseColumnGuid(guid string) (ColumnRef, error) {
	s := strings.ToLower(strings.TrimSpace(guid))
	i := strings.LastIndexByte(s, '.')
	bad := Errorf(EINVALID, "The column guid %q is invalid: use odps.<project>.<table>.<column>.", guid)
	if i < 0 || i == len(s)-1 {
		return ColumnRef{}, bad
	}
	col := s[i+1:]
	if strings.ContainsAny(col, " \t\r\n\x00`'\"") {
		return ColumnRef{}, bad
	}
	t, err := ParseTableGuid(s[:i])
	if err != nil {
		return ColumnRef{}, bad
	}
	return ColumnRef{Table: t, Column: col}, nil
}

// ColumnLink is one neighbour column of a column in one direction through current versions. Kind is the
// kind of the edge; when current versions of several files disagree on it, the first in the order of the
// kind names stands, so the answer does not depend on which file committed last.
type ColumnLink struct {
	Guid string
	Kind string
}

// ColumnQuery selects one page of a column's column lineage: PageNum from 1, PageSize rows a page. ProjectIDs
// limits which projects' nodes count; nil means every project.
type ColumnQuery struct {
	Guid       string
	Direction  LineageDirection
	PageNum    int
	PageSize   int
	ProjectIDs []int64
}

// LineageError is one statement of a script the lineage parser did not understand.
type LineageError struct {
	Statement int
	Line      int
	Column    int
	Reason    string
	Partial   bool // lineage was still recovered from the statement
}

// LineageRelation is a manually registered table-to-table edge (DataWorks RegisterLineageRelation).
type LineageRelation struct {
	Guid      string // relationship guid
	ProjectID int64  // the project it was registered in
	Src, Dest string // table guids
	Type      string // relationship type as registered, e.g. "sql"
	CreatedBy string
	CreatedAt time.Time
}

// TableLink is one neighbour of a table in one direction: a table linked through a committed node (Auto) or a
// manual relation (Relation set), or both.
type TableLink struct {
	Guid     string
	Auto     bool
	Relation *LineageRelation
}

// LineageQuery selects one hop of table lineage. ProjectIDs limits which projects' nodes and relations count;
// nil means every project.
type LineageQuery struct {
	Guid       string
	Direction  LineageDirection
	After      string // guids greater than this (cursor)
	Keyword    string // substring of the neighbour's guid
	Limit      int
	ProjectIDs []int64
}

// GraphQuery asks for the multi-hop lineage graph around a table.
type GraphQuery struct {
	Guid       string
	Direction  LineageDirection
	Depth      int // table-to-table hops, 1..MaxGraphDepth
	Limit      int // graph nodes (tables and tasks), 1..MaxGraphLimit
	ProjectIDs []int64
}

// Graph limits.
const (
	DefaultGraphDepth = 3
	MaxGraphDepth     = 20
	DefaultGraphLimit = 1000
	MaxGraphLimit     = 10000
	// MaxColumnGraphRoots bounds the start columns of one column graph: every column of the widest tables,
	// with room to spare, while each root's table still costs one catalogue look-up.
	MaxColumnGraphRoots = 1000
)

// Graph node kinds.
const (
	GraphTable = "table"
	GraphTask  = "task"
)

// GraphNode is a table or a task (DEV node) of a lineage graph. Depth is the number of table hops from the
// start table (a task sits at the depth of the table it leads to).
type GraphNode struct {
	ID        string // table guid, or the node id in decimal
	Kind      string // GraphTable or GraphTask
	Name      string // table name or node name
	ProjectID int64  // tasks only
	Depth     int
}

// GraphEdge points along the data flow: table -> task (reads), task -> table (writes), table -> table
// (manual relation).
type GraphEdge struct {
	From, To string
}

// LineageGraph is the answer of a graph query. Truncated is set when Limit cut the graph short; DepthLimited
// when the walk reached Depth with tables whose own lineage goes on beyond it.
type LineageGraph struct {
	Root         string
	Direction    LineageDirection
	Depth        int
	Nodes        []GraphNode
	Edges        []GraphEdge
	Truncated    bool
	DepthLimited bool
}

// ColumnGraphQuery asks for the multi-hop column lineage graph around one or more columns (several roots walk
// together: the catalogue asks for every column of a table at once to find the labels they inherit).
type ColumnGraphQuery struct {
	Guids      []string // the start columns, column guids
	Direction  LineageDirection
	Depth      int // column-to-column hops, 1..MaxGraphDepth
	Limit      int // graph nodes (columns), 1..MaxGraphLimit
	ProjectIDs []int64
	// AsOf, when set, asks for lineage as it stood then: each file's last version committed at or before AsOf
	// (none when that version deleted the file) instead of the version its DEV node runs now.
	AsOf time.Time
}

// ColumnGraphNode is a column of a column lineage graph; Depth counts column hops from the nearest root.
type ColumnGraphNode struct {
	Guid  string
	Depth int
}

// ColumnGraphEdge points along the data flow, from a source column to a column made from it. Kind is as in
// ColumnLink (the first kind name when files disagree); Files are the ids of the files whose versions make
// the edge, sorted.
type ColumnGraphEdge struct {
	From, To string
	Kind     string
	Files    []int64
}

// GraphFile is a file whose version makes edges of a column graph: the version counted and the node running
// it (0 when the graph is as of a time the file has no node for any more).
type GraphFile struct {
	ID        int64
	ProjectID int64
	Name      string
	Version   int
	NodeID    int64
}

// ColumnGraph is the answer of a column graph query; Truncated and DepthLimited are as in LineageGraph.
type ColumnGraph struct {
	Roots        []string
	Direction    LineageDirection
	Depth        int
	AsOf         time.Time
	Nodes        []ColumnGraphNode
	Edges        []ColumnGraphEdge
	Files        []GraphFile // sorted by id
	Truncated    bool
	DepthLimited bool
}

// LineageStore keeps catalogued tables, per-version lineage and manual relations. "Current" lineage is that of
// the version an environment's node runs: a deleted file has no node and so no current lineage. The store does
// no authorization; ProjectIDs filters are the core's.
type LineageStore interface {
	// FindTableCatalogues returns the catalogue entries of a guid, one per project that holds it.
	FindTableCatalogues(ctx context.Context, guid string) ([]*Table, error)
	// FindProducingNodes returns the DEV nodes whose current version writes the table, by id.
	FindProducingNodes(ctx context.Context, guid string, projectIDs []int64) ([]*Node, error)
	// FindTableLinks returns one page of neighbours, ordered by guid, and whether more follow.
	FindTableLinks(ctx context.Context, q LineageQuery) ([]*TableLink, bool, error)
	// FindNodeNeighbours returns the nodes of env linked to node id through a table: parents (upstream, the
	// nodes writing what it reads) or children (downstream).
	FindNodeNeighbours(ctx context.Context, id int64, env Env, dir LineageDirection, projectIDs []int64) ([]*Node, error)
	FindLineageGraph(ctx context.Context, q GraphQuery) (*LineageGraph, error)
	FindVersionLineage(ctx context.Context, projectID, fileID int64, version int) (*VersionLineage, error)

	// FindColumnLinks returns one page of a column's neighbours through current DEV versions, ordered by guid,
	// and how many there are in all: upstream the columns its value comes from, downstream the columns made
	// from it. Constants (no source) and a column feeding itself are no neighbours.
	FindColumnLinks(ctx context.Context, q ColumnQuery) ([]*ColumnLink, int64, error)
	// CountColumnRelations returns, for each column of the table with the guid that has any, its number of
	// neighbours through current DEV versions, upstream and downstream together, by column name.
	CountColumnRelations(ctx context.Context, table string, projectIDs []int64) (map[string]int64, error)
	// FindColumnGraph walks column lineage from q.Guids (validated by the caller) up to q.Depth hops.
	FindColumnGraph(ctx context.Context, q ColumnGraphQuery) (*ColumnGraph, error)
	// FindColumnReaders returns, for each of columns (column guids) that any has, the DEV nodes whose current
	// version reads it as a source, by node id; projectIDs limits the nodes as in ColumnQuery.
	FindColumnReaders(ctx context.Context, columns []string, projectIDs []int64) (map[string][]*Node, error)
	// FindTableReaders returns, for each of tables (table guids) that any has, the DEV nodes whose current
	// version reads it, by node id; projectIDs limits the nodes as in LineageQuery.
	FindTableReaders(ctx context.Context, tables []string, projectIDs []int64) (map[string][]*Node, error)

	// CreateLineageRelation records r (filling Guid when empty and CreatedAt) and catalogues both tables in
	// r.ProjectID; an existing relation between the same tables is ECONFLICT.
	CreateLineageRelation(ctx context.Context, r *LineageRelation) error
	FindLineageRelations(ctx context.Context, src, dest string) ([]*LineageRelation, error)
	DeleteLineageRelation(ctx context.Context, guid string) error
}

// LineageService answers table lineage on behalf of the caller in ctx. A caller sees only the tables catalogued
// in, and the nodes and relations of, projects it may read; registering a relation needs Write.
type LineageService interface {
	FindTable(ctx context.Context, t TableRef) (*Table, error)
	FindProducingNodes(ctx context.Context, t TableRef) ([]*Node, error)
	FindTableLinks(ctx context.Context, t TableRef, q LineageQuery) ([]*TableLink, bool, error)
	FindNodeParents(ctx context.Context, id int64, env Env) ([]*Node, error)
	FindNodeChildren(ctx context.Context, id int64, env Env) ([]*Node, error)
	FindLineageGraph(ctx context.Context, q GraphQuery) (*LineageGraph, error)
	FindVersionLineage(ctx context.Context, project ProjectRef, fileID int64, version int) (*VersionLineage, error)

	// FindColumnLineage returns one page (q.PageNum, q.PageSize; q.Guid and q.ProjectIDs are the service's) of
	// c's column lineage in q.Direction and the total, with the authorization of table lineage: c's table must
	// be catalogued in a project the caller reads, and only those projects' nodes count.
	FindColumnLineage(ctx context.Context, c ColumnRef, q ColumnQuery) ([]*ColumnLink, int64, error)
	// CountColumnRelations returns the number of column lineage neighbours of each column of t, by column name,
	// through the nodes of projects the caller reads.
	CountColumnRelations(ctx context.Context, t TableRef) (map[string]int64, error)
	// FindColumnGraph returns the column lineage graph around q.Guids (q.ProjectIDs is the service's), with the
	// authorization of FindColumnLineage for every root.
	FindColumnGraph(ctx context.Context, q ColumnGraphQuery) (*ColumnGraph, error)

	// DiffFileLineage compares two sides of a file's lineage (q) with the authorization of FindVersionLineage
	// (Read on the project), and finds the tasks of projects the caller reads that the change reaches.
	DiffFileLineage(ctx context.Context, project ProjectRef, fileID int64, q LineageDiffQuery) (*LineageDiff, error)

	// CreateLineageRelation registers src -> dest in the project of dest (or of src when dest's project is not
	// a Sluice project).
	CreateLineageRelation(ctx context.Context, src, dest TableRef, typ, guid string) (*LineageRelation, error)
	// DeleteLineageRelation deletes the relation with guid, or else every relation src -> dest; it reports
	// whether one was deleted.
	DeleteLineageRelation(ctx context.Context, src, dest TableRef, guid string) (bool, error)
}

// LineageDiffQuery names the two sides of a file's lineage diff. From is a committed version, 0 for the last
// committed one; To is a committed version, or 0 for the working copy: Script when it is set, else the file's
// draft. A working copy's lineage is parsed as committing it now would parse it.
type LineageDiffQuery struct {
	From   int
	To     int
	Script *string
}

// LineageDiff is what changing a file from one side of a LineageDiffQuery to the other does to its lineage.
// A change of an edge's kind is the old edge removed and the new one added. Impact lists the tasks of other
// files that read what the change touches.
type LineageDiff struct {
	FileID  int64
	From    int  // the version compared from; 0 when the file has none committed (every edge is added)
	To      int  // the version compared to; 0 for the working copy
	Script  bool // the working copy is a script the caller sent, not the draft
	Tables  []TableEdgeChange
	Columns []ColumnEdgeChange
	Impact  []LineageImpact
	Errors  []LineageError // statements of the To side the parser did not understand
}

// Directions of a table edge of a file in a lineage diff.
const (
	EdgeReads  = "reads"
	EdgeWrites = "writes"
)

// TableEdgeChange is a table a file starts (Added) or stops reading or writing.
type TableEdgeChange struct {
	Added     bool
	Direction string // EdgeReads or EdgeWrites
	Table     string // table guid
}

// ColumnEdgeChange is a column edge a change adds or removes.
type ColumnEdgeChange struct {
	Added bool
	Edge  ColumnEdge
}

// LineageImpact is a task whose current version reads what a change touches: Guid is a column guid, a column
// the file writes whose edges changed, or a table guid, a table the file stops writing.
type LineageImpact struct {
	Guid    string
	Table   bool // Guid is a table the file stops writing
	Node    *Node
	Project string // the name of the node's project
}
