package lineage

// The parser builds a small tree per statement: enough structure to know
// which names are tables and in which scope they are read. Column-level
// lineage is meant to grow from here: each select list is kept as a token
// span (split it at top-level commas to get the items), and every source
// keeps its alias.
//
// The tree lives only until its statement is resolved, so its nodes come
// from an arena that is reset for every statement and kept with the
// extractor between calls: in the steady state parsing allocates nothing.

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
	stmtAlterView                   // ALTER VIEW v AS query: writes v, creates nothing
)

// statement is one parsed statement of a script.
type statement struct {
	kind      stmtKind
	with      []cte          // statement-level WITH, visible to every query below
	recursive bool           // the statement-level WITH is WITH RECURSIVE
	targets   []tableName    // tables whose contents are written (also those recovered after a failure)
	blocks    []*selectBlock // read by the statement (multi-insert FROM, MERGE USING, ...)
	queries   []*query       // queries read by the statement
	temporary bool           // CREATE TEMPORARY ...: a session object, not a table
	global    bool           // CREATE GLOBAL TEMPORARY VIEW: also known as global_temp.<name>
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
	with      []cte
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
	sources    []source
	subqueries []*query // subqueries in expressions: SELECT list, WHERE, ON, ...
	nested     *query   // a parenthesised query used as a set-operation branch
	list       span     // the select list's tokens, for column lineage
}

// span is a range [from, to): of a statement's tokens in selectBlock.list,
// of extractor.names in stmtEffect.
type span struct{ from, to int }

// sourceKind tells what a FROM item is.
type sourceKind uint8

const (
	srcTable    sourceKind = iota // a table, view, CTE or session object
	srcDerived                    // (query) alias
	srcVar                        // @var
	srcFunction                   // table-valued function, LATERAL VIEW, UNNEST
	srcValues                     // inline VALUES
	srcPivot                      // a relation under PIVOT or UNPIVOT (column lineage)
)

// source is one item of a FROM clause.
type source struct {
	kind  sourceKind
	table tableName
	query *query // srcDerived; or subqueries in function arguments
	alias string
}

// arena hands out the nodes of one statement's tree. reset makes every
// node reusable; a reused node is cleared but keeps its slices' capacity.
type arena struct {
	blocks  slab[selectBlock]
	queries slab[query]
}

func (a *arena) reset() {
	a.blocks.used = 0
	a.queries.used = 0
}

// size is the number of nodes the arena holds, to keep a pooled extractor
// from pinning the memory of one huge statement.
func (a *arena) size() int { return len(a.blocks.chunks)*slabSize + len(a.queries.chunks)*slabSize }

func (a *arena) newBlock() *selectBlock {
	b := a.blocks.get()
	*b = selectBlock{sources: b.sources[:0], subqueries: b.subqueries[:0]}
	return b
}

func (a *arena) newQuery() *query {
	q := a.queries.get()
	*q = query{with: q.with[:0], blocks: q.blocks[:0]}
	return q
}

const slabSize = 64

// slab is a growable store of T whose elements never move, so pointers to
// them stay valid while more are handed out.
type slab[T any] struct {
	chunks []*[slabSize]T
	used   int
}

func (s *slab[T]) get() *T {
	c, i := s.used/slabSize, s.used%slabSize
	if c == len(s.chunks) {
		s.chunks = append(s.chunks, new([slabSize]T))
	}
	s.used++
	return &s.chunks[c][i]
}
