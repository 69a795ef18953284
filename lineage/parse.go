package lineage

import (
	"slices"
	"strings"
)

// maxDepth bounds nesting of parentheses and subqueries so that hostile
// input cannot exhaust the stack.
const maxDepth = 256

// parseError is the first problem found in a statement.
type parseError struct {
	offset int
	reason string
}

// parser is a recursive-descent parser over the tokens of one statement.
// The last token is a tEOF marker placed where the statement ends, and pos
// never moves past it, so reading the current token needs no end check.
// After the first error pos jumps to that marker: every accessor then
// reports end of input, so all loops unwind without further checks.
type parser struct {
	src   string
	toks  []token // the statement's tokens, then the tEOF marker
	pos   int
	depth int
	err   *parseError
	d     Dialect
	stmt  statement // the result, reused from statement to statement
	arena
}

// reset prepares p for one statement; toks must end with a tEOF token.
func (p *parser) reset(src string, toks []token, d Dialect) {
	p.src, p.toks, p.pos, p.depth, p.err, p.d = src, toks, 0, 0, nil, d
	p.stmt = statement{
		with:    p.stmt.with[:0],
		targets: p.stmt.targets[:0],
		blocks:  p.stmt.blocks[:0],
		queries: p.stmt.queries[:0],
	}
	p.arena.reset()
}

// peek returns the current token. Accessors hand out pointers into toks:
// a token is too large a struct for the compiler to keep in registers, and
// copying it at every look was a measurable part of parsing.
func (p *parser) peek() *token { return &p.toks[p.pos] }

func (p *parser) peekAt(k int) *token { return &p.toks[min(p.pos+k, len(p.toks)-1)] }

func (p *parser) next() {
	if p.toks[p.pos].kind != tEOF {
		p.pos++
	}
}

func (p *parser) atEOF() bool { return p.peek().kind == tEOF }

// isKw reports whether the current token is keyword k (never kwNone). Only
// tWord tokens carry a keyword id (tError, which has another use for the
// field, never reaches the parser), so the id alone decides.
func (p *parser) isKw(k kw) bool { return p.toks[p.pos].kw == k }

func (p *parser) acceptKw(k kw) bool {
	if p.isKw(k) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) accept(k tokKind) bool {
	if p.peek().kind == k {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expectKw(k kw, what string) {
	if !p.acceptKw(k) {
		p.fail("expected " + what)
	}
}

func (p *parser) expect(k tokKind, what string) {
	if !p.accept(k) {
		p.fail("expected " + what)
	}
}

// fail records the first error at the current token.
func (p *parser) fail(msg string) {
	if p.err != nil {
		return
	}
	t := p.peek()
	if t.kind == tEOF {
		msg += ", found end of statement"
	} else {
		msg += ", found " + quoteToken(p.src[t.start:t.end])
	}
	p.err = &parseError{offset: t.start, reason: msg}
	p.pos = len(p.toks) - 1
}

func quoteToken(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + s + "\""
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail("nesting too deep")
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// flags returns the keyword class of a token.
func flags(t *token) uint8 {
	if t.kind != tWord {
		return 0
	}
	return kwFlags[t.kw]
}

// queryStartsAt reports whether the tokens from k on, after any number of
// opening parentheses, begin a query.
func (p *parser) queryStartsAt(k int) bool {
	for {
		t := p.peekAt(k)
		switch t.kind {
		case tLParen:
			k++
			continue
		case tWord:
			switch t.kw {
			case kwSelect, kwWith, kwFrom, kwValues:
				return true
			case kwTable:
				// TABLE t as a query; not "TABLE (" of a function call.
				n := p.peekAt(k + 1).kind
				return n == tWord || n == tQuoted
			}
		}
		return false
	}
}

// --- statements ---------------------------------------------------------

func (p *parser) parseStatement() *statement {
	s := &p.stmt
	// ODPS script control flow: IF cond BEGIN stmt; END ELSE BEGIN stmt; END
	for {
		if p.acceptKw(kwBegin) || p.acceptKw(kwEnd) || p.acceptKw(kwElse) {
			continue
		}
		if p.isKw(kwIf) || p.isKw(kwElseif) || p.isKw(kwWhile) {
			p.next()
			b := p.newBlock()
			p.skipUntilBegin(b)
			s.blocks = append(s.blocks, b)
			continue
		}
		if p.isKw(kwLoop) {
			p.next()
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
		s.kind = stmtQuery
		s.queries = append(s.queries, p.parseQuery())
	case tAtVar:
		p.parseVar(s)
	case tWord:
		switch t.kw {
		case kwSelect, kwValues, kwTable:
			s.kind = stmtQuery
			s.queries = append(s.queries, p.parseQuery())
		case kwWith:
			s.with = p.parseWith(s.with)
			s.kind = stmtQuery
			switch {
			case p.isKw(kwInsert):
				p.parseInsert(s)
			case p.isKw(kwFrom):
				p.parseFromFirst(s)
			default:
				s.queries = append(s.queries, p.parseSetExpr())
			}
		case kwFrom:
			s.kind = stmtQuery
			p.parseFromFirst(s)
		case kwInsert:
			p.parseInsert(s)
		case kwCreate:
			p.parseCreate(s)
		case kwReplace:
			p.parseCreate(s)
		case kwDrop:
			p.parseDrop(s)
		case kwMerge:
			p.parseMerge(s)
		case kwUpdate:
			p.parseUpdate(s)
		case kwDelete:
			if p.peekAt(1).kind == tWord && p.peekAt(1).kw == kwFrom {
				p.parseDelete(s)
			} else {
				p.skipRest()
			}
		case kwLoad:
			p.parseLoad(s)
		case kwClone:
			p.parseClone(s)
		case kwCache:
			p.parseCache(s)
		case kwSet, kwAdd, kwUse, kwShow, kwDesc, kwDescribe, kwExplain, kwAnalyze,
			kwGrant, kwRevoke, kwMsck, kwTruncate, kwAlter, kwRefresh, kwUncache,
			kwReset, kwList, kwClear, kwKill, kwWhoami, kwAlias, kwTunnel, kwCompute,
			kwDeclare, kwDfs, kwExport, kwImport, kwCommit, kwRollback, kwFunction:
			p.skipRest()
		default:
			p.fail("unsupported statement")
		}
	default:
		p.fail("unsupported statement")
	}
	if !p.atEOF() {
		p.fail("unexpected token after statement")
	}
	return s
}

// skipRest consumes a utility statement.
func (p *parser) skipRest() { p.pos = len(p.toks) - 1 }

// skipUntilBegin skips an IF/WHILE condition up to BEGIN or the start of
// the controlled statement, collecting subqueries.
func (p *parser) skipUntilBegin(b *selectBlock) {
	for {
		t := p.peek()
		if t.kind == tEOF {
			return
		}
		if t.kind == tWord {
			switch t.kw {
			case kwBegin:
				p.next()
				return
			case kwInsert, kwSelect, kwCreate, kwDrop, kwMerge, kwUpdate, kwDelete, kwWith, kwFrom, kwSet:
				return
			}
		}
		if t.kind == tLParen && p.queryStartsAt(1) {
			b.subqueries = append(b.subqueries, p.parseParenQuery())
			continue
		}
		p.next()
	}
}

// parseVar parses ODPS "@x := query" and other @var statements.
func (p *parser) parseVar(s *statement) {
	p.next()
	if !p.accept(tAssign) {
		// @x TABLE (...) / @x STRING declarations, with an optional := tail.
		for !p.atEOF() && p.peek().kind != tAssign {
			p.next()
		}
		if !p.accept(tAssign) {
			return
		}
	}
	s.kind = stmtVar
	if p.queryStartsAt(0) {
		s.queries = append(s.queries, p.parseQuery())
		return
	}
	b := p.newBlock()
	p.skipExpr(b, 0)
	s.blocks = append(s.blocks, b)
}

// parseInsert parses INSERT INTO|OVERWRITE [TABLE] t ... query, or the
// INSERT OVERWRITE [LOCAL] DIRECTORY form.
func (p *parser) parseInsert(s *statement) {
	s.kind = stmtInsert
	p.expectKw(kwInsert, "INSERT")
	if p.acceptKw(kwOverwrite) {
		if p.isKw(kwLocal) || p.isKw(kwDirectory) {
			p.skipToQuery()
			s.queries = append(s.queries, p.parseQuery())
			return
		}
	} else {
		p.expectKw(kwInto, "INTO or OVERWRITE after INSERT")
	}
	p.acceptKw(kwTable)
	name := p.parseTableName()
	if p.err == nil {
		s.targets = append(s.targets, name)
	}
	p.parseInsertTail()
	if p.isKw(kwValues) {
		b := p.newBlock()
		p.parseValues(b)
		s.blocks = append(s.blocks, b)
		return
	}
	if p.queryStartsAt(0) {
		s.queries = append(s.queries, p.parseQuery())
		return
	}
	p.fail("expected a query or VALUES after the INSERT target")
}

// parseInsertTail skips PARTITION (...), IF NOT EXISTS and a column list
// after an INSERT target.
func (p *parser) parseInsertTail() {
	for {
		switch {
		case p.isKw(kwPartition):
			p.next()
			if p.peek().kind != tLParen {
				p.fail("expected ( after PARTITION")
				return
			}
			p.skipGroup(nil)
		case p.isKw(kwIf):
			p.next()
			p.acceptKw(kwNot)
			p.expectKw(kwExists, "EXISTS")
		case p.peek().kind == tLParen && !p.queryStartsAt(0):
			p.skipGroup(nil)
		case p.isKw(kwBy) || p.isKw(kwReplace):
			// Spark: INSERT INTO t BY NAME / REPLACE WHERE cond
			p.next()
			for !p.atEOF() && !p.queryStartsAt(0) {
				p.next()
			}
		default:
			return
		}
	}
}

// skipToQuery skips tokens (directory paths, ROW FORMAT ...) until a query
// begins.
func (p *parser) skipToQuery() {
	for !p.atEOF() && !p.queryStartsAt(0) {
		if p.peek().kind == tLParen {
			p.skipGroup(nil)
			continue
		}
		p.next()
	}
}

// parseFromFirst parses Hive's FROM src INSERT ... SELECT ... [INSERT ...]
// and FROM src SELECT ....
func (p *parser) parseFromFirst(s *statement) {
	p.expectKw(kwFrom, "FROM")
	from := p.newBlock()
	p.parseFromList(from)
	s.blocks = append(s.blocks, from)
	if p.isKw(kwSelect) {
		b := p.parseSelect()
		q := p.newQuery()
		q.blocks = append(q.blocks, b)
		p.parseSetTail(q)
		s.queries = append(s.queries, q)
		return
	}
	if !p.isKw(kwInsert) {
		p.fail("expected INSERT or SELECT after the FROM clause")
		return
	}
	s.kind = stmtInsert
	for p.isKw(kwInsert) {
		p.next()
		if p.acceptKw(kwOverwrite) {
			if p.isKw(kwLocal) || p.isKw(kwDirectory) {
				for !p.atEOF() && !p.isKw(kwSelect) {
					p.next()
				}
				s.blocks = append(s.blocks, p.parseSelect())
				continue
			}
		} else {
			p.expectKw(kwInto, "INTO or OVERWRITE after INSERT")
		}
		p.acceptKw(kwTable)
		name := p.parseTableName()
		if p.err == nil {
			s.targets = append(s.targets, name)
		}
		p.parseInsertTail()
		if !p.isKw(kwSelect) {
			p.fail("expected SELECT in a multi-insert branch")
			return
		}
		s.blocks = append(s.blocks, p.parseSelect())
	}
}

// parseCreate parses CREATE [OR REPLACE] [TEMPORARY] TABLE|VIEW.
func (p *parser) parseCreate(s *statement) {
	if p.acceptKw(kwReplace) {
		// Spark REPLACE TABLE t AS ...
	} else {
		p.next()
		if p.acceptKw(kwOr) {
			p.expectKw(kwReplace, "REPLACE")
		}
	}
	for {
		switch {
		case p.acceptKw(kwGlobal), p.acceptKw(kwExternal):
		case p.acceptKw(kwTemporary), p.acceptKw(kwTemp):
			s.temporary = true
		default:
			goto kind
		}
	}
kind:
	view := false
	switch {
	case p.acceptKw(kwTable):
	case p.acceptKw(kwView):
		view = true
	case p.acceptKw(kwMaterialized):
		p.expectKw(kwView, "VIEW")
		view = true
	default:
		// CREATE FUNCTION, DATABASE, RESOURCE, ...: no lineage.
		p.skipRest()
		return
	}
	if p.acceptKw(kwIf) {
		p.acceptKw(kwNot)
		p.expectKw(kwExists, "EXISTS")
	}
	s.object = p.parseTableName()
	s.kind = stmtCreateTable
	// Find AS <query> outside parentheses; LIKE or a column list alone
	// means no lineage.
	for !p.atEOF() {
		t := p.peek()
		if t.kind == tLParen {
			p.skipGroup(nil)
			continue
		}
		if t.kind == tWord && t.kw == kwAs && p.queryStartsAt(1) {
			p.next()
			s.queries = append(s.queries, p.parseQuery())
			if view {
				s.kind = stmtCreateView
			} else {
				s.kind = stmtCTAS
			}
			return
		}
		p.next()
	}
	if view {
		s.kind = stmtCreateView
	}
}

// parseDrop parses DROP [TEMPORARY] TABLE|VIEW [IF EXISTS] t.
func (p *parser) parseDrop(s *statement) {
	p.next()
	p.acceptKw(kwTemporary)
	p.acceptKw(kwMaterialized)
	if !p.acceptKw(kwTable) && !p.acceptKw(kwView) {
		p.skipRest()
		return
	}
	if p.acceptKw(kwIf) {
		p.expectKw(kwExists, "EXISTS")
	}
	s.object = p.parseTableName()
	s.kind = stmtDrop
	p.skipRest() // PURGE
}

// parseMerge parses MERGE INTO t [alias] USING src ON cond WHEN ....
func (p *parser) parseMerge(s *statement) {
	p.next()
	p.expectKw(kwInto, "INTO after MERGE")
	name := p.parseTableName()
	p.parseAlias(kwUsing)
	p.expectKw(kwUsing, "USING")
	b := p.newBlock()
	p.parseSource(b)
	p.expectKw(kwOn, "ON")
	p.skipExpr(b, 0)
	if p.err == nil {
		s.kind = stmtMerge
		s.targets = append(s.targets, name)
		s.blocks = append(s.blocks, b)
	}
}

// parseUpdate parses UPDATE t [alias] SET ... [FROM ...] [WHERE ...].
func (p *parser) parseUpdate(s *statement) {
	p.next()
	name := p.parseTableName()
	p.parseAlias(kwSet)
	p.expectKw(kwSet, "SET")
	b := p.newBlock()
	p.skipExpr(b, fClause)
	if p.acceptKw(kwFrom) {
		p.parseFromList(b)
	}
	p.parseClauses(b)
	if p.err == nil {
		s.kind = stmtUpdate
		s.targets = append(s.targets, name)
		s.blocks = append(s.blocks, b)
	}
}

// parseDelete parses DELETE FROM t [alias] [WHERE ...].
func (p *parser) parseDelete(s *statement) {
	p.next()
	p.next() // FROM
	name := p.parseTableName()
	p.parseAlias(kwWhere)
	b := p.newBlock()
	p.skipExpr(b, 0)
	if p.err == nil {
		s.kind = stmtDelete
		s.targets = append(s.targets, name)
		s.blocks = append(s.blocks, b)
	}
}

// parseLoad parses LOAD DATA ... INTO TABLE t and ODPS LOAD INTO|OVERWRITE
// TABLE t.
func (p *parser) parseLoad(s *statement) {
	p.next()
	for !p.atEOF() && !p.isKw(kwTable) {
		p.next()
	}
	p.expectKw(kwTable, "TABLE")
	name := p.parseTableName()
	if p.err == nil {
		s.kind = stmtLoad
		s.targets = append(s.targets, name)
	}
	p.skipRest()
}

// parseClone parses ODPS CLONE TABLE src [PARTITION (...), ...] TO dst
// [IF EXISTS OVERWRITE|IGNORE].
func (p *parser) parseClone(s *statement) {
	p.next()
	p.expectKw(kwTable, "TABLE after CLONE")
	src := p.parseTableName()
	for p.acceptKw(kwPartition) {
		if p.peek().kind != tLParen {
			p.fail("expected ( after PARTITION")
		}
		p.skipGroup(nil)
		p.accept(tComma)
	}
	p.expectKw(kwTo, "TO")
	dst := p.parseTableName()
	p.skipRest()
	if p.err == nil {
		s.kind = stmtClone
		s.targets = append(s.targets, dst)
		b := p.newBlock()
		b.sources = append(b.sources, source{kind: srcTable, table: src})
		s.blocks = append(s.blocks, b)
	}
}

// parseCache parses Spark CACHE [LAZY] TABLE t [OPTIONS (...)] [AS] query.
func (p *parser) parseCache(s *statement) {
	p.next()
	p.acceptKw(kwLazy)
	if !p.acceptKw(kwTable) {
		p.skipRest()
		return
	}
	s.object = p.parseTableName()
	for !p.atEOF() && !p.queryStartsAt(0) {
		if p.peek().kind == tLParen {
			p.skipGroup(nil)
			continue
		}
		p.next()
	}
	if !p.atEOF() {
		s.kind = stmtCache
		s.temporary = true
		s.queries = append(s.queries, p.parseQuery())
	}
}

// --- names -----------------------------------------------------------------

// parseTableName parses part{.part} and returns it normalised.
func (p *parser) parseTableName() tableName {
	t := p.peek()
	if !isNameToken(t) {
		p.fail("expected a table name")
		return tableName{}
	}
	first := p.pos
	p.next()
	parts := 1
	for p.peek().kind == tDot && isNamePart(p.peekAt(1)) {
		p.pos += 2
		parts++
	}
	return tableName{name: normalizeName(p.src, p.toks[first:p.pos]), parts: parts, offset: t.start}
}

// isNameToken reports whether t can begin a table name.
func isNameToken(t *token) bool {
	switch t.kind {
	case tQuoted:
		return true
	case tWord:
		return kwFlags[t.kw]&reservedFlags == 0
	}
	return false
}

func isNamePart(t *token) bool {
	return t.kind == tWord || t.kind == tQuoted || t.kind == tNumber
}

// normalizeName joins the name tokens (parts and dots) into the spec's
// form: lower case outside ${...}, backquotes removed.
func normalizeName(src string, toks []token) string {
	if isNormal(toks) {
		// Written in normal form: the name is a substring of the script,
		// no copy needed.
		return src[toks[0].start:toks[len(toks)-1].end]
	}
	var b strings.Builder
	n := 0
	for _, t := range toks {
		n += t.end - t.start
	}
	b.Grow(n)
	for i := range toks {
		t := &toks[i]
		s := src[t.start:t.end]
		switch t.kind {
		case tDot:
			b.WriteByte('.')
		case tQuoted:
			s = s[1 : len(s)-1]
			for i := 0; i < len(s); i++ {
				c := s[i]
				if c == '`' {
					i++ // `` is one backquote
				}
				b.WriteByte(lower(c))
			}
		default:
			for i := 0; i < len(s); i++ {
				c := s[i]
				if c == '$' && i+1 < len(s) && s[i+1] == '{' {
					j := strings.IndexByte(s[i:], '}')
					if j > 0 {
						b.WriteString(s[i : i+j+1])
						i += j
						continue
					}
				}
				b.WriteByte(lower(c))
			}
		}
	}
	return b.String()
}

// isNormal reports whether the name tokens, as written, are already the
// normal form: words without upper-case letters (outside ${...}) and dots,
// with nothing between them.
func isNormal(toks []token) bool {
	for i := range toks {
		t := &toks[i]
		if (t.kind != tWord && t.kind != tDot) || t.upper || (i > 0 && toks[i-1].end != t.start) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// parseAlias consumes [AS] alias [(cols)]; stop is a keyword that ends the
// clause and must not be taken as an alias.
func (p *parser) parseAlias(stop kw) string {
	t := p.peek()
	if t.kind == tWord && t.kw == kwAs {
		p.next()
		t = p.peek()
		if t.kind != tWord && t.kind != tQuoted && t.kind != tString {
			p.fail("expected an alias after AS")
			return ""
		}
		if t.kind == tLParen {
			p.skipGroup(nil)
			return ""
		}
	} else if t.kind == tQuoted || (t.kind == tWord && kwFlags[t.kw]&(reservedFlags|fNoAlias) == 0 && (stop == kwNone || t.kw != stop)) {
		// implicit alias
	} else {
		return ""
	}
	p.next()
	if p.peek().kind == tLParen {
		p.skipGroup(nil) // column aliases
	}
	return p.src[t.start:t.end]
}

// --- queries -----------------------------------------------------------------

// parseWith parses WITH [RECURSIVE] name [(cols)] AS (query), ...,
// appending the entries to ctes.
func (p *parser) parseWith(ctes []cte) []cte {
	p.expectKw(kwWith, "WITH")
	p.acceptKw(kwRecursive)
	for {
		t := p.peek()
		if t.kind != tWord && t.kind != tQuoted {
			p.fail("expected a CTE name")
			return ctes
		}
		p.next()
		name := normalizeName(p.src, p.toks[p.pos-1:p.pos])
		if p.peek().kind == tLParen {
			p.skipGroup(nil)
		}
		p.expectKw(kwAs, "AS in WITH")
		if p.peek().kind != tLParen {
			p.fail("expected ( after AS in WITH")
			return ctes
		}
		q := p.parseParenQuery()
		ctes = append(ctes, cte{name: name, query: q})
		if !p.accept(tComma) {
			return ctes
		}
	}
}

// parseQuery parses [WITH ...] branch {setop branch}.
func (p *parser) parseQuery() *query {
	if !p.enter() {
		return p.newQuery()
	}
	defer p.leave()
	q := p.newQuery()
	if p.isKw(kwWith) {
		q.recursive = p.peekAt(1).kind == tWord && p.peekAt(1).kw == kwRecursive
		q.with = p.parseWith(q.with)
	}
	p.parseSetExprInto(q)
	return q
}

// parseSetExpr parses branch {UNION|INTERSECT|EXCEPT|MINUS [ALL|DISTINCT] branch}.
func (p *parser) parseSetExpr() *query {
	q := p.newQuery()
	p.parseSetExprInto(q)
	return q
}

func (p *parser) parseSetExprInto(q *query) {
	q.blocks = append(q.blocks, p.parseBranch())
	p.parseSetTail(q)
}

func (p *parser) parseSetTail(q *query) {
	for flags(p.peek())&fSetOp != 0 {
		p.next()
		if !p.acceptKw(kwAll) {
			p.acceptKw(kwDistinct)
		}
		q.blocks = append(q.blocks, p.parseBranch())
	}
	// ORDER BY / LIMIT after a parenthesised last branch.
	if len(q.blocks) > 0 {
		p.parseClauses(q.blocks[len(q.blocks)-1])
	}
}

// parseBranch parses one set-operation branch.
func (p *parser) parseBranch() *selectBlock {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		q := p.parseParenQuery()
		b := p.newBlock()
		b.nested = q
		return b
	case t.kind == tWord && t.kw == kwSelect:
		return p.parseSelect()
	case t.kind == tWord && t.kw == kwFrom:
		p.next()
		b := p.newBlock()
		p.parseFromList(b)
		if !p.isKw(kwSelect) {
			p.fail("expected SELECT after the FROM clause")
			return b
		}
		sel := p.parseSelect()
		// The FROM clause's sources and subqueries come first. Insert into
		// sel's own slices: arena nodes must never share backing arrays.
		sel.sources = slices.Insert(sel.sources, 0, b.sources...)
		sel.subqueries = slices.Insert(sel.subqueries, 0, b.subqueries...)
		return sel
	case t.kind == tWord && t.kw == kwValues:
		b := p.newBlock()
		p.parseValues(b)
		return b
	case t.kind == tWord && t.kw == kwTable:
		p.next()
		b := p.newBlock()
		b.sources = append(b.sources, source{kind: srcTable, table: p.parseTableName()})
		return b
	case t.kind == tWord && t.kw == kwWith:
		q := p.parseQuery()
		b := p.newBlock()
		b.nested = q
		return b
	}
	p.fail("expected SELECT")
	return p.newBlock()
}

// parseParenQuery parses ( query ).
func (p *parser) parseParenQuery() *query {
	p.expect(tLParen, "(")
	q := p.parseQuery()
	p.expect(tRParen, ")")
	return q
}

// parseSelect parses SELECT items [FROM ...] [clauses].
func (p *parser) parseSelect() *selectBlock {
	p.expectKw(kwSelect, "SELECT")
	b := p.newBlock()
	if !p.acceptKw(kwAll) {
		p.acceptKw(kwDistinct)
	}
	// The select list is kept whole; its items are the parts between
	// top-level commas. ON/USING do not end it: SELECT TRANSFORM(...)
	// USING 'x'.
	b.list.from = p.pos
	p.skipExpr(b, fClause|fSetOp|fInsert|fSelect|fJoin)
	b.list.to = p.pos
	if p.acceptKw(kwFrom) {
		p.parseFromList(b)
	}
	p.parseClauses(b)
	return b
}

// parseClauses parses WHERE, GROUP BY, HAVING, ORDER BY, ... of a block.
func (p *parser) parseClauses(b *selectBlock) {
	for {
		t := p.peek()
		if t.kind != tWord || kwFlags[t.kw]&fClause == 0 || t.kw == kwFrom {
			return
		}
		p.next()
		p.skipExpr(b, fClause|fSetOp|fInsert|fSelect)
	}
}

// parseValues parses VALUES (row), (row) [AS] alias [(cols)].
func (p *parser) parseValues(b *selectBlock) {
	p.expectKw(kwValues, "VALUES")
	for {
		if p.peek().kind == tLParen {
			p.skipGroup(b)
		} else {
			p.skipExpr(b, fClause|fSetOp|fInsert|fSelect|fJoin|fOn|stopComma)
		}
		if p.peek().kind == tComma && p.peekAt(1).kind == tLParen {
			p.next()
			continue
		}
		break
	}
	b.sources = append(b.sources, source{kind: srcValues})
}

// parseFromList parses source {, source | join source [ON ... | USING (...)]
// | LATERAL VIEW ...}.
func (p *parser) parseFromList(b *selectBlock) {
	if !p.enter() {
		return
	}
	defer p.leave()
	p.parseSource(b)
	for p.err == nil {
		t := p.peek()
		if t.kind == tComma {
			p.next()
			p.parseSource(b)
			continue
		}
		if t.kind != tWord {
			return
		}
		switch t.kw {
		case kwLateral:
			if n := p.peekAt(1); n.kind == tWord && n.kw == kwView {
				p.parseLateralView(b)
				continue
			}
			return
		case kwJoin, kwLeft, kwRight, kwFull, kwInner, kwCross, kwNatural:
		default:
			return
		}
		p.acceptKw(kwNatural)
		switch {
		case p.acceptKw(kwLeft), p.acceptKw(kwRight), p.acceptKw(kwFull):
			if !p.acceptKw(kwOuter) && !p.acceptKw(kwSemi) {
				p.acceptKw(kwAnti)
			}
		case p.acceptKw(kwInner), p.acceptKw(kwCross):
		}
		p.expectKw(kwJoin, "JOIN")
		p.parseSource(b)
		switch {
		case p.acceptKw(kwOn):
			p.skipExpr(b, fClause|fSetOp|fJoin|fInsert|fSelect)
		case p.acceptKw(kwUsing):
			if p.peek().kind != tLParen {
				p.fail("expected ( after USING")
			}
			p.skipGroup(nil)
		}
	}
}

// parseLateralView parses LATERAL VIEW [OUTER] fn(args) alias [AS] c1, c2.
func (p *parser) parseLateralView(b *selectBlock) {
	p.next()
	p.next()
	p.acceptKw(kwOuter)
	src := source{kind: srcFunction}
	p.parseTableName()
	if p.peek().kind != tLParen {
		p.fail("expected ( after the LATERAL VIEW function")
		return
	}
	p.skipGroup(b)
	t := p.peek()
	if (t.kind == tWord && t.kw != kwAs) || t.kind == tQuoted {
		src.alias = p.src[t.start:t.end]
		p.next()
	}
	if p.acceptKw(kwAs) {
		for {
			t := p.peek()
			if t.kind != tWord && t.kind != tQuoted {
				p.fail("expected a column alias")
				return
			}
			p.next()
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
	b.sources = append(b.sources, src)
}

// parseSource parses one FROM item.
func (p *parser) parseSource(b *selectBlock) {
	if !p.enter() {
		return
	}
	defer p.leave()
	p.acceptKw(kwLateral)
	t := p.peek()
	switch {
	case t.kind == tLParen:
		if p.queryStartsAt(1) {
			src := source{kind: srcDerived, query: p.parseParenQuery()}
			src.alias = p.parseAlias(kwNone)
			b.sources = append(b.sources, src)
			return
		}
		p.next()
		p.parseFromList(b)
		p.expect(tRParen, ") after a parenthesised join")
		p.parseAlias(kwNone)
	case t.kind == tAtVar:
		p.next()
		b.sources = append(b.sources, source{kind: srcVar, alias: p.parseAlias(kwNone)})
	case t.kind == tWord && t.kw == kwValues:
		p.parseValues(b)
		b.sources[len(b.sources)-1].alias = p.parseAlias(kwNone)
	case t.kind == tWord && t.kw == kwTable && p.peekAt(1).kind == tLParen:
		// TABLE(fn(...)) / TABLE(subquery)
		p.next()
		src := source{kind: srcFunction}
		p.skipGroup(b)
		src.alias = p.parseAlias(kwNone)
		b.sources = append(b.sources, src)
	default:
		name := p.parseTableName()
		if p.peek().kind == tLParen {
			// table-valued function: range(24), explode(...), json_tuple(...)
			p.skipGroup(b)
			b.sources = append(b.sources, source{kind: srcFunction, alias: p.parseAlias(kwNone)})
			return
		}
		for {
			switch {
			case p.isKw(kwPartition), p.isKw(kwTablesample):
				p.next()
				if p.peek().kind != tLParen {
					p.fail("expected (")
					return
				}
				p.skipGroup(nil)
				continue
			}
			break
		}
		src := source{kind: srcTable, table: name}
		src.alias = p.parseAlias(kwNone)
		b.sources = append(b.sources, src)
	}
}

// --- expressions ---------------------------------------------------------

// skipExpr skips an expression up to, outside parentheses, a comma-free
// stop: a keyword of a class in stop, ')', or the end. Commas are skipped
// too unless stop includes stopComma (select lists split on them). Subqueries
// met on the way are parsed into b.subqueries.
func (p *parser) skipExpr(b *selectBlock, stop uint8) {
	// Most tokens of an expression are neither a stop nor '(': pass over
	// them in a tight loop on the token classes. The tEOF marker (clsEnd)
	// ends the loop.
	mask := uint16(stop) | clsEnd | clsOpen
	for {
		i := p.pos
		for p.toks[i].cls&mask == 0 {
			i++
		}
		p.pos = i
		t := &p.toks[i]
		switch t.kind {
		case tEOF, tRParen, tSemi:
			return
		case tComma:
			// Only a stop when stop has stopComma.
			return
		case tLParen:
			if p.queryStartsAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
			continue
		case tWord:
			// A keyword of a stop class. LEFT(...) and RIGHT(...) are
			// functions, not joins.
			if !((t.kw == kwLeft || t.kw == kwRight) && p.peekAt(1).kind == tLParen) {
				return
			}
		}
		p.next()
	}
}

// skipGroup skips a balanced ( ... ) group. Subqueries inside it are parsed
// into b when b is not nil.
func (p *parser) skipGroup(b *selectBlock) {
	if !p.enter() {
		return
	}
	defer p.leave()
	p.expect(tLParen, "(")
	if b != nil && p.queryStartsAt(0) {
		// TABLE(SELECT ...), fn(SELECT ...)
		b.subqueries = append(b.subqueries, p.parseQuery())
	}
	for {
		// Pass over the tokens that neither open nor close a group.
		i := p.pos
		for p.toks[i].cls&(clsEnd|clsOpen) == 0 {
			i++
		}
		p.pos = i
		switch p.toks[i].kind {
		case tEOF:
			p.fail("unbalanced parentheses")
			return
		case tRParen:
			p.next()
			return
		case tLParen:
			if b != nil && p.queryStartsAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
			continue
		}
		p.next()
	}
}
