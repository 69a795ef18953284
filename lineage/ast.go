package lineage

// The parser builds a small tree per statement: enough structure to know
// which names are tables and in which scope they are read. Column-level
// lineage is meant to grow from here: select items are kept as token
// spans, and every source keeps its alias.

// stmtKind is what a statement does to tables.
type stmtKind uint8

const (
	stmtNone        stmtKind = iota // utility statements: SET, ALTER, SHOW, ...
	stmtQuery                       // a standalone query
	stmtInsert                      // INSERT, including every multi-insert branch
	stmtCreateTable                 // CREATE TABLE with a column list or LIKE
	stmtCTAS                        // CREATE TABLE ... AS query
	stmtCreateView                  // CREATE VIEW ... AS query
	stmtDrop                        // DROP TABLE / VIEW
	stmtMerge                       // MERGE INTO
	stmtUpdate                      // UPDATE
	stmtDelete                      // DELETE FROM
	stmtLoad                        // LOAD DATA ... INTO TABLE
	stmtClone                       // ODPS CLONE TABLE src TO dst
	stmtVar                         // ODPS @var := query
	stmtCache                       // Spark CACHE TABLE t AS query
)

// statement is one parsed statement of a script.
type statement struct {
	kind      stmtKind
	with      []*cte         // statement-level WITH, visible to every query below
	targets   []tableName    // tables whose contents are written
	blocks    []*selectBlock // read by the statement (multi-insert FROM, MERGE USING, ...)
	queries   []*query       // queries read by the statement
	temporary bool           // CREATE TEMPORARY ...: a session object, not a table
	object    tableName      // the table or view a CREATE or DROP names
}

// tableName is a normalised table name and where it starts in the script.
type tableName struct {
	name   string // lower case, backquotes removed, parts joined by '.'
	parts  int    // number of dotted parts
	offset int
}

// query is WITH ... followed by one or more set-operation branches.
type query struct {
	with      []*cte
	recursive bool
	blocks    []*selectBlock
}

// cte is one WITH entry.
type cte struct {
	name  string
	query *query
}

// selectBlock is one SELECT (or a VALUES list, or a parenthesised query).
type selectBlock struct {
	sources    []*source
	subqueries []*query // subqueries in expressions: SELECT list, WHERE, ON, ...
	nested     *query   // a parenthesised query used as a set-operation branch
	items      []span   // select list items, for column lineage
}

// span is a range of tokens [from, to) of a statement.
type span struct{ from, to int }

// sourceKind tells what a FROM item is.
type sourceKind uint8

const (
	srcTable    sourceKind = iota // a table, view, CTE or session object
	srcDerived                    // (query) alias
	srcVar                        // @var
	srcFunction                   // table-valued function, LATERAL VIEW, UNNEST
	srcValues                     // inline VALUES
)

// source is one item of a FROM clause.
type source struct {
	kind  sourceKind
	table tableName
	query *query // srcDerived; or subqueries in function arguments
	alias string
}
