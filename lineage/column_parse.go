package lineage

import (
	"strconv"
	"strings"
)

// The column parser. The table parser (parse.go) skips expressions, which
// keeps it fast; column lineage needs them, so this parser builds its own,
// fuller tree of the statements that move data. It embeds the table parser
// to share its token accessors, error handling, nesting limit and name
// normalisation, and reads the same tokens from the same lexer.

// colStmtKind is what a statement does to columns.
type colStmtKind uint8

const (
	csNone       colStmtKind = iota // no column lineage (utility, DDL, DELETE, LOAD, ...)
	csQuery                         // a standalone query: reads only
	csInsert                        // INSERT, every multi-insert branch
	cCTAS                           // CREATE TABLE ... AS, CACHE TABLE ... AS
	cView                           // CREATE VIEW ... AS
	cCreateTable                    // CREATE TABLE with columns or LIKE: a schema
	cMerge                          // MERGE INTO
	cUpdate                         // UPDATE ... SET
	cVar                            // ODPS @x := query
	cClone                          // ODPS CLONE TABLE src TO dst
)

type cStmt struct {
	kind    colStmtKind
	with    []cCTE
	inserts []*cInsert
	object  tableName // CREATE / CLONE destination / MERGE / UPDATE target
	query   *cQuery   // CTAS, view, var, standalone query
	cols    []string  // CREATE TABLE columns then partition columns; CREATE VIEW (a, b)
	like    string    // CREATE TABLE ... LIKE
	from    []*cSource
	merge   []cAssign // MERGE / UPDATE assignments
	mergeIn []cMergeInsert
	alias   string // MERGE / UPDATE target alias
	uses    []*cExpr
	varName string
	clone   string
}

// cInsert is one INSERT target with the rows it receives.
type cInsert struct {
	target tableName
	parts  []cPart
	cols   []string
	query  *cQuery  // a query; nil for VALUES
	rows   []*cExpr // VALUES: the first row's items (all rows are constants anyway)
	branch *cSelect // a multi-insert branch, whose FROM is the statement's
	nrows  int      // VALUES items per row
}

// cPart is one entry of PARTITION (...).
type cPart struct {
	name   string
	static bool
}

type cAssign struct {
	col  string
	expr *cExpr
}

type cMergeInsert struct {
	cols []string
	vals []*cExpr
	star bool // Spark INSERT * / UPDATE SET *
}

type cCTE struct {
	name string
	cols []string
	q    *cQuery
}

// cQuery is [WITH ...] branch {set-op branch}.
type cQuery struct {
	with     []cCTE
	branches []*cSelect
}

// cSelect is one SELECT; or a parenthesised query (nested), VALUES rows or
// TABLE t used as a set-operation branch.
type cSelect struct {
	items   []*cItem
	from    []*cSource
	uses    []*cExpr // WHERE, ON, GROUP BY, HAVING, ORDER BY, ...
	nested  *cQuery
	using   []string // JOIN ... USING (cols): unqualified, never ambiguous
	natural bool
	// filters: a branch after EXCEPT, MINUS or INTERSECT, whose rows only
	// decide which rows of the branches before it are kept.
	filters bool
}

type cItem struct {
	expr     *cExpr
	alias    string
	more     []string // the further names of AS (a, b, ...): a table-generating function's columns
	star     bool
	starQual string
	regex    string // a column regex, `(ds|hh)?+.+`: the star selects the columns it matches
	offset   int
}

type cSource struct {
	kind  sourceKind
	table tableName
	alias string
	query *cQuery
	cols  []string // derived t(a, b), LATERAL VIEW ... AS a, b, VALUES ... t(a, b)
	args  *cExpr   // function and LATERAL VIEW arguments; VALUES items
	on    *cSource // the ON source of a Hive partitioned table function (ptf)
	ptf   bool
	turn  *cTurn // srcPivot
	fn    string // function name
	lview bool
}

// cExpr is what column lineage needs of an expression: the columns it
// names, the subqueries it holds, and its shape.
type cExpr struct {
	refs []cRef
	subs []*cQuery
	// window: PARTITION BY / ORDER BY of OVER (...), which decide the
	// value's order, not its content: uses, not sources.
	window   []cRef
	agg      bool // an aggregate function outside OVER
	win      bool // a window function
	fn       bool // a function other than CAST
	op       bool // an operator, CASE, or more than one operand
	operands int
}

type cRef struct {
	qual   string // normalised qualifier, "" when unqualified
	name   string // normalised column name
	offset int
}

// colParser parses one statement for column lineage.
type colParser struct {
	parser
	buf [24]byte
	// The tree lives until its statement is resolved: its nodes come from
	// slabs reset for every statement and kept between calls, as the
	// table parser's do.
	exprs   slab[cExpr]
	items   slab[cItem]
	selects slab[cSelect]
	sources slab[cSource]
	queries slab[cQuery]
	inserts slab[cInsert]
	cstmt   cStmt
}

// resetNodes makes every node reusable, for the next statement.
func (p *colParser) resetNodes() {
	p.exprs.used, p.items.used, p.selects.used, p.sources.used, p.queries.used, p.inserts.used = 0, 0, 0, 0, 0, 0
}

// nodes is the number of nodes held, so that a pooled parser does not pin
// the memory of one huge statement.
func (p *colParser) nodes() int {
	return (len(p.exprs.chunks) + len(p.items.chunks) + len(p.selects.chunks) + len(p.sources.chunks) + len(p.queries.chunks)) * slabSize
}

func (p *colParser) newExpr() *cExpr {
	e := p.exprs.get()
	*e = cExpr{refs: e.refs[:0], subs: e.subs[:0], window: e.window[:0]}
	return e
}

func (p *colParser) newInsert() *cInsert {
	in := p.inserts.get()
	*in = cInsert{parts: in.parts[:0]}
	return in
}

func (p *colParser) newItem() *cItem {
	it := p.items.get()
	*it = cItem{}
	return it
}

func (p *colParser) newSelect() *cSelect {
	b := p.selects.get()
	*b = cSelect{items: b.items[:0], from: b.from[:0], uses: b.uses[:0]}
	return b
}

func (p *colParser) newSource(k sourceKind) *cSource {
	s := p.sources.get()
	*s = cSource{kind: k}
	return s
}

func (p *colParser) newQuery() *cQuery {
	q := p.queries.get()
	*q = cQuery{branches: q.branches[:0]}
	return q
}

func (p *colParser) parseStatement() *cStmt {
	s := &p.cstmt
	*s = cStmt{inserts: s.inserts[:0], merge: s.merge[:0], mergeIn: s.mergeIn[:0], uses: s.uses[:0]}
	for {
		if p.acceptKw(kwBegin) || p.acceptKw(kwEnd) || p.acceptKw(kwElse) || p.acceptKw(kwLoop) {
			continue
		}
		if p.isKw(kwIf) || p.isKw(kwElseif) || p.isKw(kwWhile) {
			p.next()
			p.skipUntilBegin(p.newBlock())
			continue
		}
		break
	}
	if p.atEOF() {
		return s
	}
	t := p.peek()
	switch t.kind {
	case tLParen:
		s.kind = csQuery
		s.query = p.query()
	case tAtVar:
		p.varStmt(s)
	case tWord:
		switch t.kw {
		case kwSelect, kwValues, kwTable, kwMap, kwReduce:
			// (MAP and REDUCE only where the table parser took them
			// for a query.)
			s.kind = csQuery
			s.query = p.query()
		case kwWith:
			s.with = p.with(nil)
			switch {
			case p.isKw(kwInsert):
				p.insert(s)
			case p.isKw(kwFrom):
				p.fromFirst(s)
			default:
				s.kind = csQuery
				s.query = p.newQuery()
				p.setExpr(s.query)
			}
		case kwFrom:
			p.fromFirst(s)
		case kwInsert:
			p.insert(s)
		case kwCreate, kwReplace:
			p.create(s)
		case kwMerge:
			p.mergeStmt(s)
		case kwUpdate:
			p.update(s)
		case kwClone:
			p.next()
			p.expectKw(kwTable, "TABLE after CLONE")
			s.clone = p.parseTableName().name
			for !p.atEOF() && !p.isKw(kwTo) {
				p.next()
			}
			p.expectKw(kwTo, "TO")
			s.object = p.parseTableName()
			s.kind = cClone
			p.skipRest()
		case kwCache:
			p.next()
			p.acceptKw(kwLazy)
			if !p.acceptKw(kwTable) {
				p.skipRest()
				break
			}
			s.object = p.parseTableName()
			p.skipToQuery()
			if !p.atEOF() {
				s.kind = cCTAS
				s.query = p.query()
			}
		default:
			// Everything else has no column lineage; the table parser
			// decides what is an error.
			p.skipRest()
		}
	default:
		p.skipRest()
	}
	if !p.atEOF() {
		p.fail("unexpected token after statement")
	}
	return s
}

func (p *colParser) varStmt(s *cStmt) {
	s.varName = normalizeName(p.src, p.toks[p.pos:p.pos+1])
	p.next()
	if !p.accept(tAssign) {
		p.skipRest()
		return
	}
	if p.queryStartsAt(0) {
		s.kind = cVar
		s.query = p.query()
		return
	}
	p.skipRest()
}

// insert parses INSERT INTO|OVERWRITE [TABLE] t [PARTITION (...)] [(cols)] query|VALUES.
func (p *colParser) insert(s *cStmt) {
	s.kind = csInsert
	p.next()
	if p.acceptKw(kwOverwrite) {
		if p.isKw(kwLocal) || p.isKw(kwDirectory) {
			// No table target: the query is read only.
			p.skipToQuery()
			s.kind = csQuery
			s.query = p.query()
			return
		}
	} else {
		p.expectKw(kwInto, "INTO or OVERWRITE after INSERT")
	}
	in := p.newInsert()
	p.acceptKw(kwTable)
	in.target = p.parseTableName()
	p.insertTail(in)
	s.inserts = append(s.inserts, in)
	if p.isKw(kwValues) {
		in.rows, in.nrows = p.values()
		p.alias(kwNone)
		return
	}
	if p.queryStartsAt(0) {
		in.query = p.query()
		return
	}
	p.fail("expected a query or VALUES after the INSERT target")
}

// insertTail parses PARTITION (...), IF NOT EXISTS and a column list.
func (p *colParser) insertTail(in *cInsert) {
	for p.err == nil {
		switch {
		case p.isKw(kwPartition):
			p.next()
			p.expect(tLParen, "( after PARTITION")
			for p.err == nil && p.peek().kind != tRParen {
				name := p.colName()
				static := false
				if t := p.peek(); t.kind == tOp && p.src[t.start:t.end] == "=" {
					static = true
					p.next()
					e := p.newExpr()
					p.expr(e, stopComma, false)
				}
				in.parts = append(in.parts, cPart{name: name, static: static})
				if !p.accept(tComma) {
					break
				}
			}
			p.expect(tRParen, ")")
		case p.isKw(kwIf):
			p.next()
			p.acceptKw(kwNot)
			p.expectKw(kwExists, "EXISTS")
		case p.peek().kind == tLParen && !p.queryStartsAt(0):
			in.cols = p.nameList()
		case p.isKw(kwBy):
			// Spark: INSERT INTO t BY NAME query
			p.next()
			p.next()
		case p.isKw(kwReplace):
			// Spark: INSERT INTO t REPLACE WHERE cond query. The condition
			// may hold a parenthesised query of its own, which a query
			// start alone would take for the inserted one.
			p.next()
			p.expectKw(kwWhere, "WHERE after REPLACE")
			p.skipCondition(p.newBlock())
		default:
			return
		}
	}
}

// colName parses one column name: a word or backquoted identifier,
// possibly qualified (the last part is the column).
func (p *colParser) colName() string {
	t := p.peek()
	if t.kind != tWord && t.kind != tQuoted && t.kind != tString {
		p.fail("expected a column name")
		return ""
	}
	for p.peekAt(1).kind == tDot && isNamePart(p.peekAt(2)) {
		p.pos += 2
	}
	t = p.peek()
	p.next()
	if t.kind == tString {
		return unquoteString(p.src[t.start:t.end])
	}
	return normalizeName(p.src, p.toks[p.pos-1:p.pos])
}

// isColumnRegex reports whether a backquoted name is a pattern rather than a column: it holds a character
// of regular expressions no column name has.
func isColumnRegex(s string) bool { return strings.ContainsAny(s, regexMeta) }

// regexMeta are the characters of regular expressions that no column name holds.
const regexMeta = "()[]{}|*+?^$\\"

func unquoteString(s string) string {
	if len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}

// nameList parses ( name [type ...], ... ), keeping the first word of each
// entry: column lists, column aliases and CREATE TABLE column definitions,
// whose types may hold commas inside <> or ().
func (p *colParser) nameList() []string {
	p.expect(tLParen, "(")
	var names []string
	for p.err == nil && p.peek().kind != tRParen {
		t := p.peek()
		if t.kind == tWord && isConstraint(p.src[t.start:t.end]) {
			// PRIMARY KEY (...), CONSTRAINT ...: not a column.
		} else {
			names = append(names, p.colName())
		}
		angle := 0
		for p.err == nil {
			t := p.peek()
			if t.kind == tEOF || (angle == 0 && (t.kind == tComma || t.kind == tRParen)) {
				break
			}
			if t.kind == tLParen {
				p.skipGroup(nil)
				continue
			}
			if t.kind == tOp {
				for _, c := range p.src[t.start:t.end] {
					switch c {
					case '<':
						angle++
					case '>':
						angle--
					}
				}
			}
			p.next()
		}
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRParen, ")")
	return names
}

func isConstraint(w string) bool {
	for _, c := range [...]string{"primary", "constraint", "foreign", "unique", "check"} {
		if len(w) == len(c) && equalFoldASCII(w, c) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// values parses VALUES (row), (row) | VALUES a, b (a row of one column
// each) and returns the first row's items (every value is a constant or an
// expression of constants). As in Spark's grammar, a comma always brings
// another row: the caller parses the alias.
func (p *colParser) values() ([]*cExpr, int) {
	p.expectKw(kwValues, "VALUES")
	var first []*cExpr
	n := 0
	row := 0
	for p.err == nil {
		if p.accept(tLParen) {
			k := 0
			for p.err == nil {
				e := p.newExpr()
				p.expr(e, stopComma, false)
				if row == 0 {
					first = append(first, e)
				}
				k++
				if !p.accept(tComma) {
					break
				}
			}
			p.expect(tRParen, ")")
			if row == 0 {
				n = k
			}
		} else {
			// As a select item: a word after the value is the alias,
			// VALUES 1, 2 t(id).
			e := p.newExpr()
			p.expr(e, fClause|fSetOp|fInsert|fSelect|fJoin|fOn|stopComma, true)
			if row == 0 {
				first, n = append(first, e), 1
			}
		}
		row++
		if !p.accept(tComma) {
			break
		}
	}
	return first, n
}

// fromFirst parses FROM src INSERT ... SELECT ... [INSERT ...] and FROM src SELECT.
func (p *colParser) fromFirst(s *cStmt) {
	p.expectKw(kwFrom, "FROM")
	s.from = p.fromList(nil)
	if b := p.body(); b != nil {
		s.kind = csQuery
		b.from = append(s.from, b.from...)
		s.query = p.newQuery()
		s.query.branches = append(s.query.branches, b)
		p.setTail(s.query)
		return
	}
	if !p.isKw(kwInsert) {
		p.fail("expected INSERT or SELECT after the FROM clause")
		return
	}
	s.kind = csInsert
	for p.err == nil && p.isKw(kwInsert) {
		p.next()
		in := p.newInsert()
		if p.acceptKw(kwOverwrite) {
			if p.isKw(kwLocal) || p.isKw(kwDirectory) {
				for !p.atEOF() && !p.isKw(kwSelect) && !(transformKw(p.peek().kw) && p.transformAt(0)) {
					p.next()
				}
				if p.body() == nil {
					p.fail("expected SELECT")
				}
				continue
			}
		} else {
			p.expectKw(kwInto, "INTO or OVERWRITE after INSERT")
		}
		p.acceptKw(kwTable)
		in.target = p.parseTableName()
		p.insertTail(in)
		if in.branch = p.body(); in.branch == nil {
			p.fail("expected SELECT in a multi-insert branch")
			return
		}
		s.inserts = append(s.inserts, in)
	}
}

// body parses the SELECT, or Hive's MAP or REDUCE, that follows a FROM
// clause or a multi-insert target; nil when neither is there.
func (p *colParser) body() *cSelect {
	switch {
	case p.isKw(kwSelect):
		return p.selectBlock()
	case transformKw(p.peek().kw) && p.transformAt(0):
		return p.transformBlock()
	}
	return nil
}

// create parses CREATE [OR REPLACE] [TEMPORARY] TABLE|VIEW.
func (p *colParser) create(s *cStmt) {
	if !p.acceptKw(kwReplace) {
		p.next()
		if p.acceptKw(kwOr) {
			p.expectKw(kwReplace, "REPLACE")
		}
	}
	for p.acceptKw(kwGlobal) || p.acceptKw(kwExternal) || p.acceptKw(kwTemporary) || p.acceptKw(kwTemp) {
	}
	view := false
	switch {
	case p.acceptKw(kwTable):
	case p.acceptKw(kwView):
		view = true
	case p.acceptKw(kwMaterialized):
		p.expectKw(kwView, "VIEW")
		view = true
	default:
		p.skipRest()
		return
	}
	if p.acceptKw(kwIf) {
		p.acceptKw(kwNot)
		p.expectKw(kwExists, "EXISTS")
	}
	s.object = p.parseTableName()
	named := p.pos
	s.kind = cCreateTable
	if view {
		s.kind = cView
	}
	var parts []string
	for p.err == nil && !p.atEOF() {
		t := p.peek()
		switch {
		case t.kind == tLParen && p.pos != named && p.propertiesAt():
			// OPTIONS (path '/x'): no column list (but that of a table
			// named options).
			p.skipProperties()
			continue
		case t.kind == tLParen && view && p.pos == named && p.peekAt(1).kind == tAtVar:
			// A MaxCompute parameterized view's parameters, (@a table(k string), @b string): no column list.
			p.skipGroup(nil)
			continue
		case t.kind == tLParen && s.cols == nil && !p.queryStartsAt(0):
			s.cols = p.nameList()
			continue
		case t.kind == tLParen:
			p.skipGroup(nil)
			continue
		case t.kind == tWord && wordIs(p.src, t, "clone"):
			// Delta: CREATE TABLE t [SHALLOW|DEEP] CLONE src [time travel]
			p.next()
			s.clone = p.parseTableName().name
			p.parseTableSuffixes(nil)
			s.kind = cClone
			continue
		case t.kind == tWord && t.kw == kwLike:
			p.next()
			s.like = p.parseTableName().name
			continue
		case t.kind == tWord && equalFoldASCII(p.src[t.start:t.end], "partitioned") && p.peekAt(1).kw == kwBy && p.peekAt(2).kind == tLParen:
			p.pos += 2
			parts = p.nameList()
			continue
		case t.kind == tWord && t.kw == kwAs && p.queryStartsAt(1):
			p.next()
			s.query = p.query()
			if !view {
				s.kind = cCTAS
				// Spark CTAS may name partition columns that the query
				// already produces; they are not extra columns.
				parts = nil
			}
			continue
		}
		p.next()
	}
	if s.kind == cCreateTable {
		s.cols = append(s.cols, parts...)
	}
}

// mergeStmt parses MERGE INTO t [AS] a USING src ON cond WHEN ... THEN ....
func (p *colParser) mergeStmt(s *cStmt) {
	p.next()
	p.expectKw(kwInto, "INTO after MERGE")
	s.object = p.parseTableName()
	s.alias = p.alias(kwUsing)
	p.expectKw(kwUsing, "USING")
	s.from = p.source(nil)
	p.expectKw(kwOn, "ON")
	on := p.newExpr()
	p.expr(on, 0, false)
	s.uses = append(s.uses, on)
	s.kind = cMerge
	for p.err == nil && p.acceptKw(kwWhen) {
		p.acceptKw(kwNot)
		p.next() // MATCHED
		for p.acceptKw(kwBy) {
			p.next() // NOT MATCHED BY TARGET | SOURCE
		}
		if wordIs(p.src, p.peek(), "and") {
			p.next()
			cond := p.newExpr()
			p.expr(cond, 0, false)
			s.uses = append(s.uses, cond)
		}
		if !wordIs(p.src, p.peek(), "then") {
			p.fail("expected THEN")
			return
		}
		p.next()
		switch {
		case p.acceptKw(kwUpdate):
			p.expectKw(kwSet, "SET")
			if t := p.peek(); t.kind == tOp && p.src[t.start:t.end] == "*" {
				p.next()
				s.mergeIn = append(s.mergeIn, cMergeInsert{star: true})
				continue
			}
			s.merge = p.assignments(s.merge)
		case p.acceptKw(kwDelete):
		case p.acceptKw(kwInsert):
			var in cMergeInsert
			if t := p.peek(); t.kind == tOp && p.src[t.start:t.end] == "*" {
				p.next()
				in.star = true
			} else {
				if p.peek().kind == tLParen {
					in.cols = p.nameList()
				}
				p.expectKw(kwValues, "VALUES")
				p.expect(tLParen, "(")
				for p.err == nil {
					e := p.newExpr()
					p.expr(e, stopComma, false)
					in.vals = append(in.vals, e)
					if !p.accept(tComma) {
						break
					}
				}
				p.expect(tRParen, ")")
			}
			s.mergeIn = append(s.mergeIn, in)
		default:
			p.fail("expected UPDATE, DELETE or INSERT")
		}
	}
}

// assignments parses c = e, ... of UPDATE SET.
func (p *colParser) assignments(as []cAssign) []cAssign {
	for p.err == nil {
		name := p.colName()
		if t := p.peek(); t.kind != tOp || p.src[t.start:t.end] != "=" {
			p.fail("expected = in SET")
			return as
		}
		p.next()
		e := p.newExpr()
		p.expr(e, fClause|stopComma, false)
		as = append(as, cAssign{col: name, expr: e})
		if !p.accept(tComma) {
			break
		}
	}
	return as
}

// update parses UPDATE t [alias] SET c = e, ... [FROM ...] [WHERE ...].
func (p *colParser) update(s *cStmt) {
	p.next()
	s.object = p.parseTableName()
	s.alias = p.alias(kwSet)
	p.expectKw(kwSet, "SET")
	s.kind = cUpdate
	s.merge = p.assignments(s.merge)
	if p.acceptKw(kwFrom) {
		s.from = p.fromList(nil)
	}
	b := p.newSelect()
	p.clauses(b)
	s.uses = append(s.uses, b.uses...)
}

// alias parses [AS] alias [(cols)] and returns the alias, normalised.
func (p *colParser) alias(stop kw) string {
	a, _ := p.aliasCols(stop)
	return a
}

func (p *colParser) aliasCols(stop kw) (string, []string) {
	t := p.peek()
	if transformKw(t.kw) && p.transformAt(0) {
		return "", nil // FROM src MAP src.key USING 'cat'
	}
	if t.kind == tWord && t.kw == kwAs {
		p.next()
		t = p.peek()
		if t.kind == tLParen {
			return "", p.nameList()
		}
		if t.kind != tWord && t.kind != tQuoted && t.kind != tString {
			p.fail("expected an alias after AS")
			return "", nil
		}
	} else if !(t.kind == tQuoted || (t.kind == tWord && kwFlags[t.kw]&(reservedFlags|fNoAlias) == 0 && (stop == kwNone || t.kw != stop) && p.pivotAt() == 0)) {
		return "", nil
	}
	p.next()
	var name string
	if t.kind == tString {
		name = unquoteString(p.src[t.start:t.end])
	} else {
		name = normalizeName(p.src, p.toks[p.pos-1:p.pos])
	}
	var cols []string
	if p.peek().kind == tLParen {
		cols = p.nameList()
	}
	return name, cols
}

// --- queries -----------------------------------------------------------------

func (p *colParser) with(ctes []cCTE) []cCTE {
	p.expectKw(kwWith, "WITH")
	p.acceptKw(kwRecursive)
	for p.err == nil {
		t := p.peek()
		if t.kind != tWord && t.kind != tQuoted {
			p.fail("expected a CTE name")
			return ctes
		}
		p.next()
		c := cCTE{name: normalizeName(p.src, p.toks[p.pos-1:p.pos])}
		if p.peek().kind == tLParen {
			c.cols = p.nameList()
		}
		p.expectKw(kwAs, "AS in WITH")
		p.pos += p.materializedAt(0)
		c.q = p.parenQuery()
		ctes = append(ctes, c)
		if !p.accept(tComma) {
			break
		}
	}
	return ctes
}

func (p *colParser) query() *cQuery {
	q := p.newQuery()
	if !p.enter() {
		return q
	}
	defer p.leave()
	if p.isKw(kwWith) {
		q.with = p.with(nil)
	}
	p.setExpr(q)
	return q
}

func (p *colParser) parenQuery() *cQuery {
	p.expect(tLParen, "(")
	q := p.query()
	p.expect(tRParen, ")")
	return q
}

func (p *colParser) setExpr(q *cQuery) {
	q.branches = append(q.branches, p.branch())
	p.setTail(q)
}

func (p *colParser) setTail(q *cQuery) {
	for p.err == nil && flags(p.peek())&fSetOp != 0 {
		union := p.peek().kw == kwUnion
		p.next()
		if !p.acceptKw(kwAll) {
			p.acceptKw(kwDistinct)
		}
		b := p.branch()
		b.filters = !union
		q.branches = append(q.branches, b)
	}
	if n := len(q.branches); n > 0 {
		p.clauses(q.branches[n-1])
	}
}

func (p *colParser) branch() *cSelect {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		b := p.newSelect()
		b.nested = p.parenQuery()
		return b
	case t.kind == tWord && t.kw == kwSelect:
		return p.selectBlock()
	case t.kind == tWord && t.kw == kwFrom:
		p.next()
		from := p.fromList(nil)
		b := p.body()
		if b == nil {
			p.fail("expected SELECT after the FROM clause")
			return p.newSelect()
		}
		b.from = append(from, b.from...)
		return b
	case t.kind == tWord && t.kw == kwValues:
		rows, _ := p.values()
		// Spark: VALUES (1, 1) AS t(a, b) names the columns.
		_, cols := p.aliasCols(kwNone)
		b := p.newSelect()
		for i, e := range rows {
			it := p.newItem()
			it.expr = e
			if i < len(cols) {
				it.alias = cols[i]
			}
			b.items = append(b.items, it)
		}
		return b
	case t.kind == tWord && t.kw == kwTable:
		p.next()
		b := p.newSelect()
		it := p.newItem()
		it.star = true
		src := p.newSource(srcTable)
		src.table = p.parseTableName()
		b.items = append(b.items, it)
		b.from = append(b.from, src)
		return b
	case t.kind == tWord && t.kw == kwWith:
		b := p.newSelect()
		b.nested = p.query()
		return b
	case t.kind == tWord && transformKw(t.kw) && p.transformAt(0):
		return p.transformBlock()
	}
	p.fail("expected SELECT")
	return p.newSelect()
}

// selectBlock parses SELECT items [FROM ...] [clauses].
func (p *colParser) selectBlock() *cSelect {
	if !p.enter() {
		return p.newSelect()
	}
	defer p.leave()
	p.expectKw(kwSelect, "SELECT")
	b := p.newSelect()
	if !p.acceptKw(kwAll) {
		p.acceptKw(kwDistinct)
	}
	for p.err == nil {
		b.items = append(b.items, p.item())
		if !p.accept(tComma) {
			break
		}
	}
	if p.acceptKw(kwFrom) {
		b.from = p.fromList(b)
	}
	p.clauses(b)
	return b
}

// item parses one select-list item: *, t.*, or expr [[AS] alias].
func (p *colParser) item() *cItem {
	it := p.newItem()
	it.offset = p.peek().start
	// * and q.*
	if t := p.peek(); t.kind == tOp && p.src[t.start:t.end] == "*" {
		p.next()
		it.star = true
		return it
	}
	k := 0
	for isNamePart(p.peekAt(k)) && p.peekAt(k+1).kind == tDot {
		k += 2
	}
	if t := p.peekAt(k); k > 0 && t.kind == tOp && p.src[t.start:t.end] == "*" {
		it.star = true
		it.starQual = normalizeName(p.src, p.toks[p.pos:p.pos+k-1])
		p.pos += k + 1
		return it
	}
	if t := p.peekAt(k); t.kind == tQuoted && isColumnRegex(p.src[t.start+1:t.end-1]) {
		if n := p.peekAt(k + 1); n.kind == tComma || n.kind == tEOF || n.kind == tRParen || n.kind == tSemi ||
			n.kind == tWord && kwFlags[n.kw]&reservedFlags != 0 {
			// MaxCompute's and Hive's column regex, SELECT `(ds|hh)?+.+` FROM t: a backquoted name that
			// is a pattern selects the columns it matches, as a star selects them all.
			it.star = true
			if k > 0 {
				it.starQual = normalizeName(p.src, p.toks[p.pos:p.pos+k-1])
			}
			it.regex = strings.ReplaceAll(p.src[t.start+1:t.end-1], "``", "`")
			p.pos += k + 1
			return it
		}
	}
	if p.scriptTransform(it) {
		return it
	}
	it.expr = p.newExpr()
	p.expr(it.expr, fClause|fSetOp|fInsert|fSelect|fJoin|stopComma, true)
	t := p.peek()
	if t.kind == tWord && t.kw == kwAs {
		p.next()
		if p.peek().kind == tLParen {
			// Hive/Spark multi-column alias of a table-generating
			// function, AS (a, b): one column each.
			p.multiAlias(it, p.nameList())
			return it
		}
		it.alias = p.colName()
		return it
	}
	if t.kind == tQuoted || t.kind == tString || (t.kind == tWord && kwFlags[t.kw]&(reservedFlags|fNoAlias) == 0) {
		it.alias = p.colName()
	}
	return it
}

// multiAlias names the columns of an item that yields several.
func (p *colParser) multiAlias(it *cItem, names []string) {
	if len(names) > 0 {
		it.alias, it.more = names[0], names[1:]
	}
}

// scriptTransform parses Hive's TRANSFORM (cols) USING 'script' [AS (a, b)
// | AS a, b] into it: every column the script prints comes from every
// column it is given. Spark's transform(array, lambda), a function, has no
// USING and is left to expr.
func (p *colParser) scriptTransform(it *cItem) bool {
	if t := p.peek(); !wordIs(p.src, t, "transform") || p.peekAt(1).kind != tLParen {
		return false
	}
	k, depth := 1, 0
	for ; ; k++ {
		t := p.peekAt(k)
		if t.kind == tEOF {
			return false
		}
		if t.kind == tLParen {
			depth++
		} else if t.kind == tRParen {
			if depth--; depth == 0 {
				break
			}
		}
	}
	if u := p.peekAt(k + 1); !(u.kind == tWord && u.kw == kwUsing) && !p.serdeAt(k+1) {
		return false
	}
	p.next()
	it.expr = p.args()
	it.expr.fn = true
	p.script(it)
	return true
}

// transformBlock parses Hive's MAP|REDUCE cols [ROW FORMAT ...] USING
// 'script' [AS ...] [FROM ...] [clauses], a SELECT TRANSFORM (cols) by
// another name: one item, whose columns all come from every column listed.
func (p *colParser) transformBlock() *cSelect {
	if !p.enter() {
		return p.newSelect()
	}
	defer p.leave()
	b := p.newSelect()
	it := p.newItem()
	using := p.transformUsing(0)
	if using < 0 {
		p.fail("expected MAP or REDUCE ... USING")
		return b
	}
	p.next() // MAP | REDUCE
	it.offset = p.peek().start
	// The list ends at USING, or at the input's ROW FORMAT or RECORDWRITER
	// before it, whose words expr would read as operands and columns: it
	// sees an end marker there instead, the token put back after.
	end := p.pos
	for end < using && !p.serdeAt(end-p.pos) {
		if p.toks[end].kind == tLParen {
			end = p.matchParen(end)
		}
		end++
	}
	saved := p.toks[end]
	p.toks[end] = token{kind: tEOF, cls: clsEnd, start: saved.start, end: saved.start}
	it.expr = p.newExpr()
	p.expr(it.expr, 0, false)
	stopped := p.pos
	p.toks[end] = saved
	if p.err != nil {
		return b
	}
	if stopped != end {
		p.fail("expected USING after the MAP or REDUCE columns")
		return b
	}
	it.expr.fn = true
	p.script(it)
	b.items = append(b.items, it)
	if p.acceptKw(kwFrom) {
		b.from = p.fromList(b)
	}
	p.clauses(b)
	return b
}

// serdeAt reports whether token k begins a script's ROW FORMAT,
// RECORDWRITER or RECORDREADER clause.
func (p *colParser) serdeAt(k int) bool {
	t := p.peekAt(k)
	return wordIs(p.src, t, "row") && wordIs(p.src, p.peekAt(k+1), "format") ||
		wordIs(p.src, t, "recordwriter") || wordIs(p.src, t, "recordreader")
}

// skipSerde skips the ROW FORMAT, RECORDWRITER and RECORDREADER clauses
// around a script's USING: words (NULL DEFINED AS 'N' too), strings and
// groups (SERDEPROPERTIES (...)), up to USING or a word that ends the select
// list.
func (p *colParser) skipSerde() {
	if !p.serdeAt(0) {
		return
	}
	for p.err == nil {
		switch t := p.peek(); {
		case t.kind == tString:
			p.next()
		case t.kind == tLParen:
			p.skipGroup(nil)
		case t.kind == tWord && kwFlags[t.kw]&reservedFlags == 0:
			p.next()
		default:
			return
		}
	}
}

// script parses what follows a script's input columns, [ROW FORMAT ...]
// [RECORDWRITER 'w'] USING 'script' [RESOURCES ...] [AS (a, b) | AS a, b]
// [ROW FORMAT ...] [RECORDREADER 'r'], and names the columns of it, the
// item the script prints.
func (p *colParser) script(it *cItem) {
	p.skipSerde()
	p.expectKw(kwUsing, "USING")
	if p.peek().kind != tString {
		p.fail("expected the script after USING")
		return
	}
	p.next()
	if wordIs(p.src, p.peek(), "resources") {
		// ODPS: USING 'cmd' RESOURCES 'a.py', 'b.txt'.
		p.next()
		for p.peek().kind == tString {
			p.next()
			if !p.accept(tComma) {
				break
			}
		}
	}
	defer p.skipSerde()
	if !p.acceptKw(kwAs) {
		// Without AS the engine names them key and value.
		p.multiAlias(it, []string{"key", "value"})
		return
	}
	if p.peek().kind == tLParen {
		p.multiAlias(it, p.nameList())
		return
	}
	names := []string{p.colName()}
	for p.err == nil && p.peek().kind == tComma {
		p.next()
		names = append(names, p.colName())
	}
	p.multiAlias(it, names)
}

// clauses parses WHERE, GROUP BY, HAVING, ORDER BY, ... into b.uses.
func (p *colParser) clauses(b *cSelect) {
	for p.err == nil {
		t := p.peek()
		if t.kind != tWord || kwFlags[t.kw]&fClause == 0 || t.kw == kwFrom {
			return
		}
		p.next()
		if t.kw == kwWindow {
			p.windowDefs(b)
			continue
		}
		e := p.newExpr()
		p.expr(e, fClause|fSetOp|fInsert|fSelect, false)
		b.uses = append(b.uses, e)
	}
}

// windowDefs parses the definitions of a WINDOW clause, w AS (spec)[, ...]:
// a spec's columns partition and order (uses), and its AS is not an alias.
func (p *colParser) windowDefs(b *cSelect) {
	for p.err == nil {
		p.next() // the window's name
		p.expectKw(kwAs, "AS after a window name")
		b.uses = append(b.uses, p.args())
		if !p.accept(tComma) {
			return
		}
	}
}

// fromList parses source {, source | join source [ON ... | USING (...)] | LATERAL VIEW ...}.
func (p *colParser) fromList(b *cSelect) []*cSource {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	if p.isKw(kwUniquejoin) && p.uniqueJoinAt() {
		return p.uniqueJoin(b)
	}
	var srcs []*cSource
	if b != nil {
		srcs = b.from[:0] // the node's own, kept from an earlier statement
	}
	rel := len(srcs) // where the relation a comma began starts
	turns := 0       // PIVOT and UNPIVOT clauses, each resolved inside the next
	srcs = p.source(srcs)
	for p.err == nil {
		t := p.peek()
		if t.kind == tComma {
			p.next()
			rel = len(srcs)
			srcs = p.source(srcs)
			continue
		}
		if t.kind != tWord {
			return srcs
		}
		switch t.kw {
		case kwNone:
			if k := p.pivotAt(); k > 0 {
				// PIVOT and UNPIVOT turn the relation before them (the
				// joins since the last comma) into one source.
				if turns++; turns > maxDepth {
					p.fail("too many PIVOT and UNPIVOT clauses")
					return srcs
				}
				turn := &cTurn{pivot: p.wordIs(t, "pivot"), inner: append([]*cSource(nil), srcs[rel:]...)}
				p.pos += k
				src := p.newSource(srcPivot)
				src.turn = turn
				p.turnClause(turn)
				src.alias = p.alias(kwNone)
				srcs = append(srcs[:rel], src)
				continue
			}
			return srcs
		case kwLateral:
			if n := p.peekAt(1); n.kind == tWord && n.kw == kwView {
				srcs = p.lateralView(srcs)
				continue
			}
			return srcs
		case kwJoin, kwLeft, kwRight, kwFull, kwInner, kwCross, kwNatural:
		default:
			return srcs
		}
		if p.acceptKw(kwNatural) && b != nil {
			b.natural = true
		}
		switch {
		case p.acceptKw(kwLeft), p.acceptKw(kwRight), p.acceptKw(kwFull):
			if !p.acceptKw(kwOuter) && !p.acceptKw(kwSemi) {
				p.acceptKw(kwAnti)
			}
		case p.acceptKw(kwInner), p.acceptKw(kwCross):
		}
		p.expectKw(kwJoin, "JOIN")
		srcs = p.source(srcs)
		switch {
		case p.acceptKw(kwOn):
			e := p.newExpr()
			p.expr(e, fClause|fSetOp|fJoin|fInsert|fSelect|stopComma, false)
			if b != nil {
				b.uses = append(b.uses, e)
			}
		case p.acceptKw(kwUsing):
			cols := p.nameList()
			if b != nil {
				b.using = append(b.using, cols...)
			}
		}
	}
	return srcs
}

// uniqueJoin parses Hive's UNIQUEJOIN [PRESERVE] src [alias] (keys), ...,
// a whole FROM clause. The keys, like a join's ON, decide which rows: uses.
func (p *colParser) uniqueJoin(b *cSelect) []*cSource {
	p.next() // UNIQUEJOIN
	var srcs []*cSource
	if b != nil {
		srcs = b.from[:0]
	}
	for p.err == nil {
		if wordIs(p.src, p.peek(), "preserve") {
			p.next()
		}
		var src *cSource
		if p.peek().kind == tLParen {
			src = p.newSource(srcDerived)
			src.query = p.parenQuery()
		} else {
			src = p.newSource(srcTable)
			src.table = p.parseTableName()
			if p.acceptKw(kwTablesample) {
				if p.peek().kind != tLParen {
					p.fail("expected (")
					break
				}
				p.skipGroup(nil)
			}
		}
		k := p.uniqueJoinAlias(0)
		if k < 0 {
			p.fail("expected the UNIQUEJOIN keys in parentheses")
			break
		}
		if k > 0 && p.peekAt(k-1).kw != kwAs {
			src.alias = normalizeName(p.src, p.toks[p.pos+k-1:p.pos+k])
		}
		srcs = append(srcs, src)
		p.pos += k
		keys := p.args()
		if b != nil {
			b.uses = append(b.uses, keys)
		}
		if !p.accept(tComma) {
			break
		}
	}
	return srcs
}

// lateralView parses LATERAL VIEW [OUTER] fn(args) alias [AS] c1, c2.
func (p *colParser) lateralView(srcs []*cSource) []*cSource {
	p.pos += 2
	p.acceptKw(kwOuter)
	src := p.newSource(srcFunction)
	src.lview = true
	src.fn = p.parseTableName().name
	src.args = p.args()
	t := p.peek()
	if (t.kind == tWord && t.kw != kwAs && kwFlags[t.kw]&reservedFlags == 0) || t.kind == tQuoted {
		src.alias = normalizeName(p.src, p.toks[p.pos:p.pos+1])
		p.next()
	}
	if p.acceptKw(kwAs) {
		for p.err == nil {
			src.cols = append(src.cols, p.colName())
			if p.peek().kind == tComma {
				if n := p.peekAt(1); n.kind == tWord && n.kw == kwLateral {
					break
				}
				p.next()
				continue
			}
			break
		}
	}
	return append(srcs, src)
}

// args parses a function's ( arguments ) into one expression.
func (p *colParser) args() *cExpr {
	e := p.newExpr()
	if !p.accept(tLParen) {
		p.fail("expected (")
		return e
	}
	// fn(SELECT ...) holds a query; fn((SELECT ...), 0) an argument that
	// is one, read by expr.
	if p.queryAt(0) {
		e.subs = append(e.subs, p.query())
	} else {
		p.expr(e, 0, false)
	}
	p.expect(tRParen, ")")
	return e
}

// source parses one FROM item.
func (p *colParser) source(srcs []*cSource) []*cSource {
	if !p.enter() {
		return srcs
	}
	defer p.leave()
	p.acceptKw(kwLateral)
	t := p.peek()
	switch {
	case t.kind == tLParen:
		if p.queryStartsAt(1) {
			src := p.newSource(srcDerived)
			src.query = p.parenQuery()
			src.alias, src.cols = p.aliasCols(kwNone)
			return append(srcs, src)
		}
		p.next()
		srcs = append(srcs, p.fromList(nil)...)
		p.expect(tRParen, ") after a parenthesised join")
		p.alias(kwNone)
		return srcs
	case t.kind == tAtVar:
		p.next()
		src := p.newSource(srcVar)
		src.table = tableName{name: normalizeName(p.src, p.toks[p.pos-1:p.pos]), parts: 1}
		src.alias = p.alias(kwNone)
		return append(srcs, src)
	case t.kind == tWord && t.kw == kwValues:
		rows, _ := p.values()
		src := p.newSource(srcValues)
		src.args = p.newExpr()
		// Columns are named by the alias list, else col1, col2, ... as
		// Spark names them.
		alias, cols := p.aliasCols(kwNone)
		src.alias = alias
		src.cols = make([]string, len(rows))
		for i := range src.cols {
			if i < len(cols) {
				src.cols[i] = cols[i]
			} else {
				src.cols[i] = "col" + strconv.Itoa(i+1)
			}
		}
		return append(srcs, src)
	case t.kind == tWord && t.kw == kwTable && p.peekAt(1).kind == tLParen:
		p.next()
		src := p.newSource(srcFunction)
		src.args = p.args()
		src.alias, src.cols = p.aliasCols(kwNone)
		return append(srcs, src)
	}
	name := p.parseTableName()
	if p.peek().kind == tLParen && !p.optionsAt(1) {
		src := p.newSource(srcFunction)
		src.fn = name.name
		if n := p.peekAt(1); n.kind == tWord && n.kw == kwOn {
			p.tableFunctionOn(src)
			return append(srcs, src)
		}
		src.args = p.args()
		src.alias, src.cols = p.aliasCols(kwNone)
		return append(srcs, src)
	}
	p.parseTableSuffixes(nil)
	src := p.newSource(srcTable)
	src.table = name
	src.alias, src.cols = p.aliasCols(kwNone)
	return append(srcs, src)
}

// cTurn is a PIVOT or UNPIVOT clause: the relation it turns, the input
// columns it consumes (the rest pass through), and the columns it makes.
type cTurn struct {
	pivot  bool
	inner  []*cSource
	hidden []string
	cols   []cTurnCol
}

// cTurnCol is a column a PIVOT or UNPIVOT makes: a pivot cell, the
// aggregate agg; an unpivoted value, one of the columns refs; or else
// UNPIVOT's name column, a constant.
type cTurnCol struct {
	name string
	agg  *cExpr
	refs []cRef
}

// turnClause parses ( ... ) of PIVOT or UNPIVOT into t. A part it cannot
// name (a value without a name, a tuple of values) makes no column: its
// references resolve through the relation, or are left unresolved.
func (p *colParser) turnClause(t *cTurn) {
	p.expect(tLParen, "(")
	if t.pivot {
		p.pivotBody(t)
	} else {
		p.unpivotBody(t)
	}
	p.expect(tRParen, ")")
}

// pivotBody parses agg [[AS] alias], ... FOR col|(cols) IN (value [[AS]
// alias], ...). Each value makes a column of each aggregate, named by the
// value alone when there is one aggregate, else value_alias; the columns
// the aggregates and FOR name are consumed, the others group the rows.
func (p *colParser) pivotBody(t *cTurn) {
	type agg struct {
		e     *cExpr
		alias string
	}
	var aggs []agg
	for p.err == nil {
		e := p.newExpr()
		p.expr(e, stopComma, true)
		a := agg{e: e}
		if !wordIs(p.src, p.peek(), "for") {
			a.alias = p.alias(kwNone)
		}
		aggs = append(aggs, a)
		for _, r := range e.refs {
			t.hidden = append(t.hidden, r.name)
		}
		if !p.accept(tComma) {
			break
		}
	}
	if !wordIs(p.src, p.peek(), "for") {
		p.fail("expected FOR in PIVOT")
		return
	}
	p.next()
	for _, r := range p.turnRefs(nil) {
		t.hidden = append(t.hidden, r.name)
	}
	if !wordIs(p.src, p.peek(), "in") {
		p.fail("expected IN in PIVOT")
		return
	}
	p.next()
	p.expect(tLParen, "(")
	for p.err == nil {
		// A value alone, 'Q1' or 1, names its columns.
		start, v := p.pos, p.peek()
		p.expr(p.newExpr(), stopComma, true)
		name := ""
		if p.pos == start+1 && v.kind == tString {
			name = unquoteString(p.src[v.start:v.end])
		} else if p.pos == start+1 && v.kind == tNumber {
			name = p.src[v.start:v.end]
		}
		if a := p.alias(kwNone); a != "" {
			name = a
		}
		if name != "" {
			for _, a := range aggs {
				switch {
				case len(aggs) == 1:
					t.cols = append(t.cols, cTurnCol{name: name, agg: a.e})
				case a.alias != "":
					t.cols = append(t.cols, cTurnCol{name: name + "_" + a.alias, agg: a.e})
				}
			}
		}
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRParen, ")")
}

// unpivotBody parses value|(values) FOR name IN (col|(cols) [[AS] alias],
// ...): the name column holds constants, each value column the columns in
// its place of every entry, which are consumed.
func (p *colParser) unpivotBody(t *cTurn) {
	var values []string
	if p.peek().kind == tLParen {
		values = p.nameList()
	} else {
		values = []string{p.colName()}
	}
	if !wordIs(p.src, p.peek(), "for") {
		p.fail("expected FOR in UNPIVOT")
		return
	}
	p.next()
	t.cols = append(t.cols, cTurnCol{name: p.colName()})
	if !wordIs(p.src, p.peek(), "in") {
		p.fail("expected IN in UNPIVOT")
		return
	}
	p.next()
	p.expect(tLParen, "(")
	refs := make([][]cRef, len(values))
	for p.err == nil {
		for i, r := range p.turnRefs(nil) {
			if i < len(refs) {
				refs[i] = append(refs[i], r)
			}
			t.hidden = append(t.hidden, r.name)
		}
		p.alias(kwNone)
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRParen, ")")
	for i, v := range values {
		t.cols = append(t.cols, cTurnCol{name: v, refs: refs[i]})
	}
}

// turnRefs parses a column, or a parenthesised list of columns each with
// an optional alias, and appends them to refs.
func (p *colParser) turnRefs(refs []cRef) []cRef {
	if !p.accept(tLParen) {
		return append(refs, p.turnRef())
	}
	for p.err == nil {
		refs = append(refs, p.turnRef())
		p.alias(kwNone)
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRParen, ")")
	return refs
}

// turnRef parses one column reference, [qualifier.]name.
func (p *colParser) turnRef() cRef {
	t := p.peek()
	if t.kind != tWord && t.kind != tQuoted {
		p.fail("expected a column name")
		return cRef{}
	}
	first, k := p.pos, 0
	for isNamePart(p.peekAt(k+2)) && p.peekAt(k+1).kind == tDot {
		k += 2
	}
	ref := cRef{name: normalizeName(p.src, p.toks[first+k:first+k+1]), offset: t.start}
	if k > 0 {
		ref.qual = normalizeName(p.src, p.toks[first:first+k-1])
	}
	p.pos = first + k + 1
	return ref
}

// tableFunctionOn parses the rest of a Hive partitioned table function,
// (ON source [PARTITION BY ... ORDER BY ...] [arg1(expr), ...]) [alias],
// into src: the ON source, a FROM item, and the other arguments, which name
// its columns.
func (p *colParser) tableFunctionOn(src *cSource) {
	p.pos += 2 // ( ON
	src.ptf = true
	if on := p.source(nil); len(on) == 1 {
		src.on = on[0]
	}
	src.args = p.newExpr()
	p.expr(src.args, 0, false)
	p.expect(tRParen, ")")
	src.alias = p.alias(kwNone)
}

// --- expressions ---------------------------------------------------------

// Words that are operators or literals inside expressions, never columns.
type exprWord uint8

const (
	ewNone     exprWord = iota
	ewOperator          // AND OR NOT IS IN LIKE BETWEEN ... : an operand follows
	ewLiteral           // NULL TRUE FALSE: a constant operand
	ewCase              // CASE
	ewCaseKw            // WHEN THEN ELSE: an operand follows
	ewEnd               // END of CASE
	ewTyped             // DATE 'x', TIMESTAMP 'x', INTERVAL n unit
	ewNullary           // CURRENT_DATE, CURRENT_TIMESTAMP without parentheses
)

var exprWords = map[string]exprWord{
	"and": ewOperator, "or": ewOperator, "not": ewOperator, "is": ewOperator, "in": ewOperator,
	"like": ewOperator, "rlike": ewOperator, "regexp": ewOperator, "ilike": ewOperator,
	"between": ewOperator, "div": ewOperator, "escape": ewOperator, "exists": ewOperator,
	"distinct": ewOperator, "all": ewOperator, "any": ewOperator, "some": ewOperator,
	"xor": ewOperator, "mod": ewOperator,
	// Window frames and orderings: ROWS BETWEEN UNBOUNDED PRECEDING AND
	// CURRENT ROW, ORDER BY x ASC NULLS FIRST.
	"rows": ewOperator, "range": ewOperator, "unbounded": ewOperator, "preceding": ewOperator,
	"following": ewOperator, "current": ewOperator, "row": ewOperator, "asc": ewOperator,
	"nulls": ewOperator, "sets": ewOperator, "rollup": ewOperator, "cube": ewOperator,
	"null": ewLiteral, "true": ewLiteral, "false": ewLiteral,
	"case": ewCase, "when": ewCaseKw, "then": ewCaseKw, "else": ewCaseKw, "end": ewEnd,
	"date": ewTyped, "timestamp": ewTyped, "interval": ewTyped,
	"current_date": ewNullary, "current_timestamp": ewNullary, "current_user": ewNullary,
	// Hive's virtual columns: the row's grouping set, file and size, no
	// column of the table. (BLOCK__OFFSET__INSIDE__FILE and
	// ROW__OFFSET__INSIDE__BLOCK are longer than the words looked up here.)
	"grouping__id": ewNullary, "input__file__name": ewNullary, "raw__data__size": ewNullary, "row__id": ewNullary,
}

// Aggregate functions: their value summarises a group of rows.
var aggregates = map[string]bool{
	"sum": true, "count": true, "avg": true, "min": true, "max": true, "collect_set": true,
	"collect_list": true, "count_if": true, "wm_concat": true, "group_concat": true,
	"stddev": true, "stddev_pop": true, "stddev_samp": true, "variance": true, "var_pop": true,
	"var_samp": true, "percentile": true, "percentile_approx": true, "approx_distinct": true,
	"approx_count_distinct": true, "median": true, "max_by": true, "min_by": true,
	"arg_max": true, "arg_min": true, "any_value": true, "bool_and": true, "bool_or": true,
	"every": true, "string_agg": true, "listagg": true, "array_agg": true, "covar_pop": true,
	"covar_samp": true, "corr": true, "histogram_numeric": true, "ntile_agg": true,
	"bitmap_union": true, "hll_union": true, "first": true, "last": true,
	"sum_distinct": true, "count_distinct": true, "approx_percentile": true, "collect": true,
	"map_agg": true, "multimap_agg": true, "kurtosis": true, "skewness": true,
}

// wordHint marks the (length, first letter) pairs of a word list, so that
// most column names, which are in no list, skip the map lookup.
type wordHint [25][32]bool

func hintOf[V any](m map[string]V) (h wordHint) {
	for w := range m {
		h[len(w)][w[0]&31] = true
	}
	return h
}

var (
	exprWordHint  = hintOf(exprWords)
	aggregateHint = hintOf(aggregates)
)

func (h *wordHint) may(src string, t *token) bool {
	n := t.end - t.start
	return n < len(h) && h[n][src[t.start]&31]
}

func (p *colParser) exprWord(t *token) exprWord {
	n := t.end - t.start
	if t.kind != tWord || n > len(p.buf) || !exprWordHint.may(p.src, t) {
		return ewNone
	}
	for i := 0; i < n; i++ {
		p.buf[i] = lower(p.src[t.start+i])
	}
	return exprWords[string(p.buf[:n])]
}

func (p *colParser) isAggregate(t *token) bool {
	n := t.end - t.start
	if n > len(p.buf) || !aggregateHint.may(p.src, t) {
		return false
	}
	for i := 0; i < n; i++ {
		p.buf[i] = lower(p.src[t.start+i])
	}
	return aggregates[string(p.buf[:n])]
}

// expr scans one expression into e, up to a stop outside parentheses: a
// keyword of a class in stop, a comma when stop has stopComma, ')' or the
// end. With item set, a word directly after a complete operand ends it: an
// implicit alias.
func (p *colParser) expr(e *cExpr, stop uint8, item bool) {
	if !p.enter() {
		return
	}
	defer p.leave()
	startOps := e.operands
	simple := true   // no operator so far
	operand := false // the previous token completed an operand
	caseDepth := 0   // open CASE ... END
	for p.err == nil {
		t := p.peek()
		switch t.kind {
		case tEOF, tRParen, tSemi:
			goto done
		case tComma:
			if stop&stopComma != 0 {
				goto done
			}
			p.next()
			simple = false
			operand = false
			continue
		case tLParen:
			if operand && item {
				goto done
			}
			if n := p.lambdaAt(); n > 0 && !operand {
				p.lambda(e, n)
				operand = true
				simple = false
				continue
			}
			// (SELECT ...) is a subquery; ((SELECT ...) + 1) a group
			// holding one.
			if p.queryAt(1) {
				e.subs = append(e.subs, p.parenQuery())
				e.operands++
				simple = false
			} else {
				p.next()
				p.expr(e, 0, false)
				p.expect(tRParen, ")")
			}
			operand = true
			continue
		case tString, tNumber, tAtVar:
			if operand && item && t.kind == tString {
				goto done // 'alias'
			}
			p.next()
			e.operands++
			operand = true
			continue
		case tOp:
			s := p.src[t.start:t.end]
			if s == "[" || s == "]" {
				// a[0], m['k']: an element of the column; the value
				// changes shape, so it is an expression.
				simple = false
				operand = s == "]"
				p.next()
				continue
			}
			p.next()
			simple = false
			operand = false
			continue
		case tDot:
			// A dot the column reference below did not take follows a
			// call or an element, max(struct(t, v)).col2: a field of
			// that value, not a column.
			p.next()
			if n := p.peek(); operand && (n.kind == tWord || n.kind == tQuoted) {
				p.next()
				simple = false
			}
			continue
		case tWord, tQuoted:
		default:
			p.next()
			continue
		}
		// A word or quoted identifier.
		if t.kind == tWord && t.kw != kwNone {
			// A clause keyword ends the expression only where its clause
			// can begin, as in the table parser: select sort, window,
			// zorder from t names columns.
			if fl := kwFlags[t.kw]; fl&stop != 0 && p.keywordStops(p.pos) && !((t.kw == kwLeft || t.kw == kwRight) && p.peekAt(1).kind == tLParen) {
				if !(t.kw == kwWhen && caseDepth > 0) {
					goto done
				}
			}
			// AS ends CAST's operand and a select item; WHEN, THEN, ELSE
			// and END outside CASE end MERGE and script conditions.
			if caseDepth == 0 && (t.kw == kwAs || t.kw == kwWhen || t.kw == kwElse || t.kw == kwEnd) {
				goto done
			}
			switch t.kw {
			case kwPartition, kwOrder, kwSort, kwDistribute, kwCluster, kwGroup:
				if p.peekAt(1).kw != kwBy {
					break // a column so named: select sort from t
				}
				fallthrough
			case kwBy, kwDesc, kwDistinct, kwAll, kwNot, kwExists, kwOr, kwLike, kwFrom:
				// GROUP BY, PARTITION BY and ORDER BY inside a clause or
				// a window: words, not columns. FROM inside a call,
				// substring(s FROM 1), trim(c FROM s), comes before an
				// operand.
				if !(p.peekAt(1).kind == tLParen && t.kw != kwNot && t.kw != kwExists) {
					p.next()
					operand = false
					continue
				}
			}
		}
		// An operator before a parenthesis (x IN (...), a AND (b OR c)) is
		// no function call: after an operand it would end a select item.
		// Nor is CASE or one of its keywords (CASE (a) WHEN (b) THEN (c)
		// ELSE (d)): the parenthesis opens the operand that follows.
		if p.peekAt(1).kind == tLParen && t.kind == tWord {
			call := true
			if operand || caseDepth > 0 || t.end-t.start == 4 && equalFoldASCII(p.src[t.start:t.end], "case") {
				// (Most words before a parenthesis are functions: the
				// word's class is looked up only where it may be none.)
				w := p.exprWord(t)
				call = !(operand && w == ewOperator) && !(caseDepth > 0 && w == ewCaseKw) && w != ewCase
			}
			if call {
				if operand && item {
					goto done
				}
				p.call(e)
				operand = true
				continue
			}
		}
		if t.kind == tWord {
			switch p.exprWord(t) {
			case ewOperator:
				p.next()
				simple = false
				operand = false
				continue
			case ewLiteral:
				if operand && item {
					goto done
				}
				p.next()
				e.operands++
				operand = true
				continue
			case ewCase:
				p.next()
				caseDepth++
				simple = false
				operand = false
				continue
			case ewCaseKw:
				if caseDepth > 0 {
					p.next()
					operand = false
					continue
				}
				goto done // THEN of a MERGE clause
			case ewEnd:
				if caseDepth > 0 {
					p.next()
					caseDepth--
					operand = true
					continue
				}
			case ewTyped:
				if n := p.peekAt(1); n.kind == tString || n.kind == tNumber {
					if operand && item {
						goto done
					}
					// DATE '2024-01-01', INTERVAL 1 DAY: a constant.
					interval := wordIs(p.src, t, "interval")
					p.pos += 2
					if w := p.peek(); interval && w.kind == tWord && kwFlags[w.kw]&reservedFlags == 0 && w.kw != kwAs {
						p.next()
					}
					e.operands++
					operand = true
					simple = false
					continue
				}
			case ewNullary:
				if operand && item {
					goto done
				}
				p.next()
				e.fn = true
				e.operands++
				operand = true
				simple = false
				continue
			}
			if strContains(p.src[t.start:t.end], "${") {
				// A scheduler variable: a constant.
				if operand && item {
					goto done
				}
				p.next()
				e.operands++
				operand = true
				continue
			}
		}
		if operand {
			if item || stop&fJoin != 0 && p.pivotAt() > 0 {
				// An alias; or PIVOT after a join condition, which
				// applies to the joined relation.
				goto done
			}
			// "x desc", "ds string": a word that is not a column here.
			p.next()
			continue
		}
		if p.peekAt(1).kind == tOp {
			if n := p.lambdaAt(); n > 0 {
				p.lambda(e, n)
				operand = true
				simple = false
				continue
			}
		}
		// A column reference: name, or qualifier.name, or q.*.
		first := p.pos
		k := 0
		for isNamePart(p.peekAt(k)) && p.peekAt(k+1).kind == tDot && isNamePart(p.peekAt(k+2)) {
			k += 2
		}
		if k == 0 && p.peekAt(1).kind == tDot {
			// q.* in count(q.*): no column.
			if n := p.peekAt(2); n.kind == tOp && p.src[n.start:n.end] == "*" {
				p.pos += 3
				e.operands++
				operand = true
				continue
			}
		}
		ref := cRef{offset: t.start}
		ref.name = normalizeName(p.src, p.toks[first+k:first+k+1])
		if k > 0 {
			ref.qual = normalizeName(p.src, p.toks[first:first+k-1])
		}
		e.refs = append(e.refs, ref)
		e.operands++
		p.pos = first + k + 1
		operand = true
	}
done:
	if !simple || e.operands-startOps > 1 {
		e.op = true
	}
}

// lambdaAt reports how many tokens the parameters and arrow of a lambda
// starting at the next token take, x -> or (x, y) ->; 0 when none starts
// there. The lexer reads -> as two operators.
func (p *colParser) lambdaAt() int {
	i := 1
	if p.peek().kind == tLParen {
		for {
			if t := p.peekAt(i); t.kind != tWord && t.kind != tQuoted {
				return 0
			}
			i++
			if p.peekAt(i).kind != tComma {
				break
			}
			i++
		}
		if p.peekAt(i).kind != tRParen {
			return 0
		}
		i++
	}
	a, b := p.peekAt(i), p.peekAt(i+1)
	if a.kind == tOp && b.kind == tOp && a.end == b.start && p.src[a.start:a.end] == "-" && p.src[b.start:b.end] == ">" {
		return i + 2
	}
	return 0
}

// lambda parses a lambda whose parameters and arrow take the next n tokens,
// and its body up to the end of the argument, into e. The parameters name
// the elements the higher-order function passes, not columns, so the
// body's references to them are dropped; the function's array or map
// argument is the source.
func (p *colParser) lambda(e *cExpr, n int) {
	params := p.toks[p.pos : p.pos+n-2]
	p.pos += n
	body := p.newExpr()
	p.expr(body, stopComma, false)
	refs := body.refs[:0]
	for _, r := range body.refs {
		first := r.name
		if r.qual != "" {
			first = r.qual
			for i := 0; i < len(first); i++ {
				if first[i] == '.' {
					first = first[:i]
					break
				}
			}
		}
		param := false
		for i := range params {
			if (params[i].kind == tWord || params[i].kind == tQuoted) && normalizeName(p.src, params[i:i+1]) == first {
				param = true
				break
			}
		}
		if !param {
			refs = append(refs, r)
		}
	}
	body.refs = refs
	p.merge(e, body)
	e.operands++
}

// bare reports whether e is one column reference, under CASTs and
// parentheses only: its value passes through unchanged.
func (e *cExpr) bare() bool {
	return len(e.refs) == 1 && len(e.subs) == 0 && !e.fn && !e.op && !e.agg && !e.win && e.operands == 1
}

// wordIs reports whether the word t is w (lower case), in any case.
func wordIs(src string, t *token, w string) bool {
	return t.kind == tWord && equalFoldASCII(src[t.start:t.end], w)
}

func strContains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// call parses fn(args) [OVER (...) | OVER w] into e.
func (p *colParser) call(e *cExpr) {
	t := p.peek()
	if wordIs(p.src, t, "cast") || wordIs(p.src, t, "try_cast") {
		p.pos += 2
		inner := p.newExpr()
		p.expr(inner, 0, false) // stops at AS: kwAs ends an expression with a stop
		for p.err == nil && p.peek().kind != tRParen && !p.atEOF() {
			if p.peek().kind == tLParen {
				p.skipGroup(nil)
				continue
			}
			p.next()
		}
		p.expect(tRParen, ")")
		p.merge(e, inner)
		e.operands++
		return
	}
	agg := p.isAggregate(t)
	p.next()
	var args *cExpr
	if n := p.peekAt(1); n.kind == tWord && (wordIs(p.src, t, "extract") && p.peekAt(2).kw == kwFrom ||
		wordIs(p.src, t, "trim") && (wordIs(p.src, n, "both") || wordIs(p.src, n, "leading") || wordIs(p.src, n, "trailing"))) {
		// EXTRACT(YEAR FROM d), TRIM(BOTH c FROM s): the first word is
		// a keyword of the function, not a column.
		p.pos += 2
		args = p.newExpr()
		p.expr(args, 0, false)
		p.expect(tRParen, ")")
	} else {
		args = p.args()
	}
	p.merge(e, args)
	e.operands++
	e.fn = true
	// WITHIN GROUP (ORDER BY ...), FILTER (WHERE ...)
	for {
		n := p.peek()
		if n.kind != tWord {
			break
		}
		if wordIs(p.src, n, "within") && p.peekAt(1).kw == kwGroup {
			p.pos += 2
			u := p.args()
			e.window = append(e.window, u.refs...)
			continue
		}
		if (wordIs(p.src, n, "ignore") || wordIs(p.src, n, "respect")) && wordIs(p.src, p.peekAt(1), "nulls") {
			// last_value(x) IGNORE NULLS OVER (...)
			p.pos += 2
			continue
		}
		if wordIs(p.src, n, "filter") && p.peekAt(1).kind == tLParen {
			p.next()
			u := p.args()
			e.window = append(e.window, u.refs...)
			continue
		}
		if wordIs(p.src, n, "over") {
			p.next()
			if p.peek().kind == tLParen {
				u := p.args()
				e.window = append(e.window, u.refs...)
				e.window = append(e.window, u.window...)
			} else {
				p.next() // a named window
			}
			e.win = true
			return
		}
		break
	}
	if agg {
		e.agg = true
	}
}

// merge adds what inner found to e.
func (p *colParser) merge(e, inner *cExpr) {
	e.refs = append(e.refs, inner.refs...)
	e.subs = append(e.subs, inner.subs...)
	e.window = append(e.window, inner.window...)
	e.agg = e.agg || inner.agg
	e.win = e.win || inner.win
	e.fn = e.fn || inner.fn
	e.op = e.op || inner.op
}
