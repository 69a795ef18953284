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

// errRecovering stands for every failure after a statement's first: only
// the first is reported, so later ones need no message.
var errRecovering = &parseError{reason: "recovering"}

// parser is a recursive-descent parser over the tokens of one statement.
// The last token is a tEOF marker placed where the statement ends, and pos
// never moves past it, so reading the current token needs no end check.
//
// On a failure pos jumps to that marker: every accessor then reports end of
// input, so all loops unwind without further checks. The failure is not the
// end of the statement, though. A parenthesised query catches a failure
// inside it and parsing goes on after its ')' (recoverGroup); a failure no
// group catches leaves the tree built so far (an INSERT's target is recorded
// before its query is parsed) and the rest of the statement is read in
// recovery mode (salvage). The first failure is what the statement reports.
type parser struct {
	src   string
	toks  []token // the statement's tokens, then the tEOF marker
	pos   int
	depth int
	err   *parseError // the failure being unwound, nil when parsing
	first *parseError // the statement's first failure, reported
	errAt int         // token index of err
	fatal bool        // nesting too deep: no recovery
	raw   bool        // a command whose text is not SQL to check (SET, ADD FILE, GRANT SELECT ...)
	// selects counts the SELECT keywords parsed as queries; the statement
	// holds wantSelects, and any left over were skipped (guard).
	selects, wantSelects int
	ctes                 []string // every CTE name the statement defines, for salvaged reads
	// match[i] is the index of the ')' closing the '(' at token i, or -1;
	// computed on first use in a statement (recovery only, mostly).
	match, open []int32
	matched     bool
	d           Dialect
	stmt        statement // the result, reused from statement to statement
	arena
}

// reset prepares p for one statement of selects SELECT keywords; toks must
// end with a tEOF token.
func (p *parser) reset(src string, toks []token, d Dialect, selects int) {
	p.src, p.toks, p.pos, p.depth, p.d = src, toks, 0, 0, d
	p.err, p.first, p.errAt, p.fatal, p.raw = nil, nil, 0, false, false
	p.selects, p.wantSelects = 0, selects
	p.ctes = p.ctes[:0]
	p.matched = false
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

// fail records a failure at the current token and starts unwinding.
func (p *parser) fail(msg string) {
	if p.err != nil {
		return
	}
	p.errAt = p.pos
	if p.first != nil {
		p.err = errRecovering
	} else {
		t := p.peek()
		if t.kind == tEOF {
			msg += ", found end of statement"
		} else {
			msg += ", found " + quoteToken(p.src[t.start:t.end])
		}
		p.err = &parseError{offset: t.start, reason: msg}
		p.first = p.err
	}
	p.pos = len(p.toks) - 1
}

// wordIs reports whether t is the word w (lower case), for words too rare
// in scripts to be keywords.
func (p *parser) wordIs(t *token, w string) bool {
	return t.kind == tWord && t.end-t.start == len(w) && strings.EqualFold(p.src[t.start:t.end], w)
}

func quoteToken(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + s + "\""
}

func (p *parser) enter() bool {
	if p.depth >= maxDepth {
		// Hostile input: no recovery, which would meet the same depth again.
		p.fail("nesting too deep")
		p.fatal = true
		return false
	}
	p.depth++
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
			case kwMap, kwReduce:
				return p.transformAt(k)
			}
		}
		return false
	}
}

// queryAt reports whether a query begins at token k itself, not after more
// parentheses: "(" followed by queryAt(1) is a subquery, while in
// ((SELECT ...) + 1) or f((SELECT ...), 0) the outer group only holds one.
func (p *parser) queryAt(k int) bool {
	t := p.peekAt(k)
	if t.kind != tWord {
		return false
	}
	switch t.kw {
	case kwSelect, kwWith, kwFrom, kwValues:
		return true
	case kwTable:
		n := p.peekAt(k + 1).kind
		return n == tWord || n == tQuoted
	case kwMap, kwReduce:
		return p.transformAt(k)
	}
	return false
}

// transformKw reports whether k is MAP or REDUCE, which may begin a script
// clause (transformAt). Hot paths ask it first: it inlines, and the scan
// does not.
func transformKw(k kw) bool { return k == kwMap || k == kwReduce }

// transformAt reports whether Hive's MAP or REDUCE clause begins at token
// k: MAP cols [ROW FORMAT ...] [RECORDWRITER 'w'] USING 'script' ..., which
// stands where SELECT TRANSFORM (cols) ... stands (Spark's Hive-compatible
// grammar has it too).
func (p *parser) transformAt(k int) bool { return p.transformUsing(k) >= 0 }

// transformUsing returns the index of the USING of a MAP or REDUCE clause
// that begins at token k, or -1. Both words also name columns, functions
// (map('k', v)) and types, so the clause is one only if its USING 'script'
// comes before anything that ends a select list. The scan hops over groups
// and stops at the next MAP or REDUCE: loops that ask at every token
// (skipToQuery) then scan each token once, and a MAP KEYS of an input ROW
// FORMAT, which would stop it, is too rare to cost that.
func (p *parser) transformUsing(k int) int {
	i := min(p.pos+k, len(p.toks)-1)
	if !transformKw(p.toks[i].kw) {
		return -1
	}
	for i++; ; i++ {
		t := &p.toks[i]
		switch t.kind {
		case tEOF, tRParen, tSemi:
			return -1
		case tLParen:
			if i = p.matchParen(i); i < 0 {
				return -1
			}
		case tWord:
			switch {
			case t.kw == kwUsing:
				if p.toks[i+1].kind == tString {
					return i
				}
				return -1
			case transformKw(t.kw):
				return -1
			case kwFlags[t.kw]&reservedFlags != 0 && p.keywordStops(i):
				return -1
			}
		}
	}
}

// --- statements ---------------------------------------------------------

func (p *parser) parseStatement() *statement {
	s := &p.stmt
	p.parseStatementBody(s)
	var salvaged *selectBlock
	if p.err != nil && !p.fatal {
		// A failure no parenthesised query caught: keep what was built and
		// read the rest of the statement in recovery mode.
		salvaged = p.newBlock()
		p.salvage(salvaged, p.errAt)
	}
	salvaged = p.guard(salvaged)
	if salvaged != nil {
		// Recovered reads resolve in the statement's outermost scope, with
		// every CTE name the statement defines set aside: a name recovered
		// out of its query's context is not taken for a table when it may
		// be a CTE.
		q := p.newQuery()
		for _, name := range p.ctes {
			q.with = append(q.with, cte{name: name})
		}
		q.blocks = append(q.blocks, salvaged)
		s.queries = append(s.queries, q)
	}
	p.err = p.first
	return s
}

// salvage reads what it can of the tokens from i to the statement's end
// after a failure nothing caught, into b: FROM lists, joins, queries and
// multi-insert targets, each parsed as usual and given up at its own
// failure, the reading going on after it. Other tokens (the rest of a
// select list, a condition) are passed over, their parenthesised
// subqueries read. So a reserved word where the parser expected none, or a
// clause it does not know, costs the tokens up to the next FROM, JOIN,
// SELECT or INSERT, not the statement.
func (p *parser) salvage(b *selectBlock, i int) {
	s := &p.stmt
	p.pos, p.depth = i, 0
	for !p.atEOF() {
		p.err = nil
		start := p.pos
		t := p.peek()
		switch {
		case t.kind == tLParen:
			if p.queryAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
		case t.kind != tWord:
			p.next()
		case t.kw == kwFrom:
			p.next()
			p.parseFromList(b)
		case t.kw == kwJoin || t.kw == kwLeft || t.kw == kwRight || t.kw == kwFull ||
			t.kw == kwInner || t.kw == kwCross || t.kw == kwNatural || t.kw == kwLateral:
			if p.keywordStops(p.pos) {
				p.parseJoins(b)
			}
		case t.kw == kwSelect:
			q := p.newQuery()
			q.blocks = append(q.blocks, p.parseSelect())
			b.subqueries = append(b.subqueries, q)
			p.parseSetTail(q)
		case t.kw == kwWith:
			if p.bareQueryAt(0) {
				b.subqueries = append(b.subqueries, p.parseQuery())
			}
		case t.kw == kwInsert:
			p.salvageInsert(s)
		}
		switch {
		case p.fatal:
			return
		case p.err != nil:
			// Resume at the token that failed, or past the step's first.
			p.pos = max(p.errAt, start+1)
		case p.pos == start:
			p.next()
		}
	}
	p.err = nil
}

// salvageInsert records the target of INSERT INTO|OVERWRITE [TABLE] t met
// in recovery (a multi-insert branch after a failed one).
func (p *parser) salvageInsert(s *statement) {
	p.next()
	if p.acceptKw(kwOverwrite) {
		if p.isKw(kwLocal) || p.isKw(kwDirectory) {
			return
		}
	} else if !p.acceptKw(kwInto) {
		return
	}
	p.acceptKw(kwTable)
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.parseInsertTail(s)
}

// guard keeps a statement from losing a query silently. Every SELECT the
// statement holds must have been parsed as a query; one left over sits in
// a clause the parser passed over (an unknown CREATE option, a skipped
// group, an unexpected form), and its tables would vanish from the answer.
// Each such SELECT is read as a query on its own, into b (created when nil),
// and the statement reports the first unless it already failed. Commands
// whose text is not SQL to check (GRANT SELECT, EXPLAIN, ADD FILE) are left
// alone.
func (p *parser) guard(b *selectBlock) *selectBlock {
	if p.raw || p.fatal || p.selects >= p.wantSelects {
		return b
	}
	// done is where the last query read here ended: a SELECT it passed
	// over is not read again, which keeps the guard linear.
	done := 0
	for i := range len(p.toks) - 1 {
		t := &p.toks[i]
		if t.kw != kwSelect || t.cls&clsRead != 0 || i < done {
			continue
		}
		if p.first == nil {
			p.first = &parseError{offset: t.start, reason: "SELECT in a part of the statement not understood"}
		}
		if b == nil {
			b = p.newBlock()
		}
		p.err, p.pos, p.depth = nil, i, 0
		q := p.newQuery()
		q.blocks = append(q.blocks, p.parseSelect())
		b.subqueries = append(b.subqueries, q)
		p.parseSetTail(q)
		if p.fatal {
			break
		}
		done = p.pos
		if p.err != nil {
			done = p.errAt
		}
	}
	p.err = nil
	return b
}

func (p *parser) parseStatementBody(s *statement) {
	// ODPS script control flow: IF cond BEGIN stmt; END ELSE BEGIN stmt; END
	for {
		if p.acceptKw(kwBegin) || p.acceptKw(kwEnd) || p.acceptKw(kwElse) {
			continue
		}
		if p.isKw(kwIf) || p.isKw(kwElseif) || p.isKw(kwWhile) {
			p.next()
			b := p.newBlock()
			s.blocks = append(s.blocks, b)
			p.skipUntilBegin(b)
			continue
		}
		if p.isKw(kwLoop) {
			p.next()
			continue
		}
		break
	}
	if p.atEOF() {
		return
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
		case kwMap, kwReduce:
			// Hive's MAP ... USING 'script' [FROM ...], a query.
			if !p.transformAt(0) {
				p.fail("unsupported statement")
				break
			}
			s.kind = stmtQuery
			s.queries = append(s.queries, p.parseQuery())
		case kwWith:
			s.recursive = p.peekAt(1).kind == tWord && p.peekAt(1).kw == kwRecursive
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
			p.parseDelete(s)
		case kwLoad:
			p.parseLoad(s)
		case kwClone:
			p.parseClone(s)
		case kwCache:
			p.parseCache(s)
		case kwAlter:
			p.parseAlter(s)
		case kwDeclare:
			// Spark: DECLARE [VARIABLE] v [type] [DEFAULT | =] (query)
			p.parseVarValue(s)
		case kwSet:
			if n := p.peekAt(1); p.wordIs(n, "var") || p.wordIs(n, "variable") {
				// Spark: SET VAR v = (query)
				p.parseVarValue(s)
				break
			}
			p.skipRaw()
		case kwAdd, kwShow, kwDesc, kwDescribe, kwExplain, kwGrant, kwRevoke, kwList,
			kwDfs, kwReset, kwClear, kwKill, kwWhoami, kwAlias, kwTunnel, kwCommit,
			kwRollback, kwUse, kwFunction:
			// Commands whose text is no query run here: paths (ADD FILE
			// /x/select.py), privileges (GRANT SELECT), statements shown or
			// explained but not run, function bodies.
			p.skipRaw()
		case kwExport:
			p.parseExport(s)
		case kwImport:
			p.parseImport(s)
		case kwMsck, kwTruncate, kwAnalyze, kwRefresh, kwUncache, kwCompute:
			// No lineage; a query inside one is not expected, and the
			// guard reports it.
			p.skipRest()
		default:
			if p.wordIs(t, "unload") {
				p.parseUnload(s)
				break
			}
			p.fail("unsupported statement")
		}
	default:
		p.fail("unsupported statement")
	}
	if !p.atEOF() {
		p.fail("unexpected token after statement")
	}
}

// skipRest consumes the rest of a statement without lineage. A SELECT in
// it is still seen by the guard.
func (p *parser) skipRest() { p.pos = len(p.toks) - 1 }

// endAfterName consumes the clauses that may follow the table a statement
// names (PURGE, PARTITION (...), FROM LOCATION '...'): they begin with a
// word. Anything else (ods ? .t) means the name was not read whole.
func (p *parser) endAfterName() {
	if t := p.peek(); t.kind != tEOF && t.kind != tWord {
		p.fail("unexpected token after the table name")
		return
	}
	p.skipRest()
}

// skipRaw consumes a command whose text is not SQL to check: the guard
// leaves it alone.
func (p *parser) skipRaw() {
	p.raw = true
	p.skipRest()
}

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
		if t.kind == tLParen {
			// Groups are skipped whole, so an unbalanced condition is
			// reported rather than passed over.
			if p.queryAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
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
			if p.peek().kind == tLParen {
				p.skipGroup(nil)
				continue
			}
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
	s.blocks = append(s.blocks, b)
	p.skipExpr(b, 0)
}

// parseVarValue parses a variable's declaration or assignment whose value
// may hold subqueries (Spark DECLARE v INT DEFAULT (SELECT ...), SET VAR v =
// (SELECT ...)): their tables are read.
func (p *parser) parseVarValue(s *statement) {
	s.kind = stmtVar
	b := p.newBlock()
	s.blocks = append(s.blocks, b)
	p.skipExpr(b, 0)
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
	// The target is known before the query is parsed, and is kept if the
	// query fails.
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.parseInsertTail(s)
	if p.isKw(kwValues) {
		b := p.newBlock()
		s.blocks = append(s.blocks, b)
		p.parseValues(b)
		p.parseAlias(kwNone)
		return
	}
	if p.queryStartsAt(0) {
		s.queries = append(s.queries, p.parseQuery())
		return
	}
	p.fail("expected a query or VALUES after the INSERT target")
}

// parseInsertTail skips PARTITION (...), IF NOT EXISTS, a column list and
// Spark's BY NAME and REPLACE WHERE cond after an INSERT target.
func (p *parser) parseInsertTail(s *statement) {
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
		case p.isKw(kwBy):
			// Spark: INSERT INTO t BY NAME query
			p.next()
			p.next()
		case p.isKw(kwReplace):
			// Spark: INSERT INTO t REPLACE WHERE cond query; the
			// condition's subqueries are read.
			p.next()
			p.expectKw(kwWhere, "WHERE after REPLACE")
			b := p.newBlock()
			s.blocks = append(s.blocks, b)
			p.skipCondition(b)
		default:
			return
		}
	}
}

// skipCondition skips a condition that a query follows without a keyword
// between them (REPLACE WHERE cond SELECT ...), collecting its subqueries.
// A parenthesised query is the condition's when an operator or IN, EXISTS,
// AND, OR, NOT, ANY, SOME or ALL comes before it, else the one that follows.
func (p *parser) skipCondition(b *selectBlock) {
	for !p.atEOF() {
		t := p.peek()
		if t.kind == tWord && p.queryStartsAt(0) {
			return
		}
		if t.kind == tLParen {
			if p.queryStartsAt(1) && !p.operandBefore() {
				return
			}
			p.skipGroup(b)
			continue
		}
		p.next()
	}
}

// operandBefore reports whether the token before pos asks for an operand,
// so that a parenthesised query at pos is a subquery.
func (p *parser) operandBefore() bool {
	if p.pos == 0 {
		return false
	}
	t := &p.toks[p.pos-1]
	switch t.kind {
	case tOp, tComma, tLParen:
		return true
	case tWord:
		for _, w := range [...]string{"in", "exists", "and", "or", "not", "any", "some", "all", "where"} {
			if p.wordIs(t, w) {
				return true
			}
		}
	}
	return false
}

// skipToQuery skips tokens (directory paths, ROW FORMAT ..., OPTIONS (...))
// until a query begins.
func (p *parser) skipToQuery() {
	for !p.atEOF() {
		if p.propertiesAt() {
			p.skipProperties()
			continue
		}
		if p.queryStartsAt(0) {
			return
		}
		if p.peek().kind == tLParen {
			p.skipGroup(nil)
			continue
		}
		p.next()
	}
}

// skipProperties skips a group propertiesAt found. A SELECT in it is a key,
// no query the guard must find read.
func (p *parser) skipProperties() {
	open := p.pos
	p.skipGroup(nil)
	for i := open; i < p.pos; i++ {
		if p.toks[i].kw == kwSelect {
			p.toks[i].cls |= clsRead
		}
	}
}

// propertiesAt reports whether the group opening at the current token is a
// list of options or properties, OPTIONS (...), TBLPROPERTIES (...),
// SERDEPROPERTIES, DBPROPERTIES, PROPERTIES: key-value pairs whose keys may
// be any word (OPTIONS (From '1', To '10', Table 't')), never a query, a
// table or a column list.
func (p *parser) propertiesAt() bool {
	if p.pos == 0 || p.peek().kind != tLParen {
		return false
	}
	t := &p.toks[p.pos-1]
	if t.kind != tWord {
		return false
	}
	w := p.src[t.start:t.end]
	return equalFoldASCII(w, "options") || len(w) >= 10 && equalFoldASCII(w[len(w)-10:], "properties")
}

// parseFromFirst parses Hive's FROM src INSERT ... SELECT ... [INSERT ...]
// and FROM src SELECT ....
func (p *parser) parseFromFirst(s *statement) {
	p.expectKw(kwFrom, "FROM")
	from := p.newBlock()
	s.blocks = append(s.blocks, from)
	p.parseFromList(from)
	if b := p.parseBody(); b != nil {
		q := p.newQuery()
		q.blocks = append(q.blocks, b)
		s.queries = append(s.queries, q)
		p.parseSetTail(q)
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
				for !p.atEOF() && !p.isKw(kwSelect) && !(transformKw(p.peek().kw) && p.transformAt(0)) {
					p.next()
				}
				b := p.parseBody()
				if b == nil {
					p.fail("expected SELECT")
					return
				}
				s.blocks = append(s.blocks, b)
				continue
			}
		} else {
			p.expectKw(kwInto, "INTO or OVERWRITE after INSERT")
		}
		p.acceptKw(kwTable)
		if name := p.parseTableName(); name.name != "" {
			s.targets = append(s.targets, name)
		}
		p.parseInsertTail(s)
		b := p.parseBody()
		if b == nil {
			p.fail("expected SELECT in a multi-insert branch")
			return
		}
		s.blocks = append(s.blocks, b)
	}
}

// parseBody parses the SELECT, or Hive's MAP or REDUCE, that follows a
// FROM clause or a multi-insert target; nil when neither is there.
func (p *parser) parseBody() *selectBlock {
	switch {
	case p.isKw(kwSelect):
		return p.parseSelect()
	case transformKw(p.peek().kw) && p.transformAt(0):
		return p.parseTransform()
	}
	return nil
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
		case p.acceptKw(kwGlobal):
			s.global = true
		case p.acceptKw(kwExternal):
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
	case p.isKw(kwFunction) || p.wordIs(p.peek(), "sql") || p.wordIs(p.peek(), "macro") || p.wordIs(p.peek(), "scheduled"):
		// Function and macro bodies (ODPS CREATE SQL FUNCTION f(@a) AS
		// (SELECT ...)) read when called, a scheduled query when it runs.
		p.skipRaw()
		return
	case p.noLineageObject():
		p.skipRest()
		return
	default:
		// An object not known here (CREATE UNLOGGED TABLE ...) may well
		// hold a query: reported, and read by salvage.
		p.fail("unsupported CREATE")
		return
	}
	if p.acceptKw(kwIf) {
		p.acceptKw(kwNot)
		p.expectKw(kwExists, "EXISTS")
	}
	s.object = p.parseTableName()
	s.kind = stmtCreateTable
	if t := p.peek(); t.kind != tWord && t.kind != tLParen && t.kind != tEOF {
		// The name was not read whole (ods ? .t).
		p.fail("unexpected token after the table name")
		return
	}
	// The query follows [AS], outside parentheses, after whatever clauses
	// the dialect has (a column list, USING, PARTITIONED BY, STORED AS,
	// TBLPROPERTIES, LIFECYCLE, ...). Spark makes AS optional: CREATE TABLE
	// t USING parquet SELECT .... LIKE or a column list alone means no
	// lineage.
	for !p.atEOF() {
		t := p.peek()
		query := false
		switch {
		case t.kind == tLParen:
			if p.propertiesAt() {
				p.skipProperties()
				continue
			}
			if !p.queryStartsAt(1) {
				p.skipGroup(nil)
				continue
			}
			query = true
		case t.kind == tWord && t.kw == kwAs:
			p.next()
			if p.queryStartsAt(0) {
				query = true
			} else if prev := &p.toks[max(p.pos-2, 0)]; !p.wordIs(prev, "stored") && !p.wordIs(prev, "defined") {
				// STORED AS ORC and NULL DEFINED AS '' are clauses; any
				// other AS brings the query (not CREATE TABLE t AS ${q}).
				p.fail("expected a query after AS")
				return
			}
		case t.kind == tWord && p.wordIs(t, "clone"):
			// Delta: CREATE [OR REPLACE] TABLE t [SHALLOW|DEEP] CLONE
			// src [time travel] writes t from src, as CTAS does.
			p.next()
			b := p.newBlock()
			if name := p.parseTableName(); name.name != "" {
				b.sources = append(b.sources, source{kind: srcTable, table: name})
			}
			p.parseTableSuffixes(b)
			s.blocks = append(s.blocks, b)
			s.kind = stmtCTAS
			continue
		case t.kind == tWord:
			query = p.bareQueryAt(0)
		case t.kind == tOp || t.kind == tComma || t.kind == tAtVar || t.kind == tAssign:
			// DDL clauses are words, literals and groups; a USING
			// provider may be dotted.
			p.fail("unexpected token in CREATE")
			return
		}
		if query {
			// The object is written even if its query fails.
			s.kind = stmtCTAS
			if view {
				s.kind = stmtCreateView
			}
			s.queries = append(s.queries, p.parseQuery())
			return
		}
		p.next()
	}
	if view && !s.temporary {
		// (Spark's CREATE TEMPORARY VIEW v USING parquet OPTIONS (...)
		// has none: it reads files.)
		p.fail("expected AS and the view's query")
	}
}

// noLineageObject reports whether the current token names an object whose
// CREATE has no table lineage.
func (p *parser) noLineageObject() bool {
	t := p.peek()
	for _, w := range [...]string{"database", "schema", "namespace", "role", "user", "index", "resource", "package",
		"catalog", "connector", "dataconnector", "connection", "volume", "offlinemodel", "tag"} {
		if p.wordIs(t, w) {
			return true
		}
	}
	return false
}

// bareQueryAt reports whether a query begins at token k where no AS
// introduces it: SELECT, FROM, VALUES, or WITH name [(cols)] AS (. A DDL
// clause (WITH SERDEPROPERTIES (...), FOR VALUES, TABLE) never takes that
// shape.
func (p *parser) bareQueryAt(k int) bool {
	t := p.peekAt(k)
	if t.kind != tWord {
		return false
	}
	switch t.kw {
	case kwSelect, kwFrom:
		return true
	case kwValues:
		// Hologres: PARTITION OF parent FOR VALUES IN (...) is no query.
		return p.pos+k == 0 || !p.wordIs(&p.toks[p.pos+k-1], "for")
	case kwWith:
		k++
		if p.peekAt(k).kw == kwRecursive {
			k++
		}
		if n := p.peekAt(k); n.kind != tWord && n.kind != tQuoted {
			return false
		}
		k++
		if p.peekAt(k).kind == tLParen {
			// column list
			c := p.matchParen(min(p.pos+k, len(p.toks)-1))
			if c < 0 {
				return false
			}
			k = c + 1 - p.pos
		}
		if p.peekAt(k).kw != kwAs {
			return false
		}
		k++
		return p.peekAt(k+p.materializedAt(k)).kind == tLParen
	}
	return false
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
	p.endAfterName() // PURGE
}

// parseAlter parses ALTER VIEW v [(cols)] AS query, which redefines v as
// CREATE OR REPLACE VIEW does; every other ALTER has no lineage.
func (p *parser) parseAlter(s *statement) {
	p.next()
	p.acceptKw(kwMaterialized)
	if !p.acceptKw(kwView) {
		p.skipRest()
		return
	}
	name := p.parseTableName()
	if p.peek().kind == tLParen && !p.queryStartsAt(0) {
		p.skipGroup(nil)
	}
	if !p.isKw(kwAs) || !p.queryStartsAt(1) {
		// ALTER VIEW v SET TBLPROPERTIES, RENAME TO, ...
		p.skipRest()
		return
	}
	p.next()
	s.kind = stmtAlterView
	s.object = name
	s.queries = append(s.queries, p.parseQuery())
}

// parseMerge parses MERGE INTO t [alias] USING src ON cond WHEN ....
func (p *parser) parseMerge(s *statement) {
	p.next()
	p.expectKw(kwInto, "INTO after MERGE")
	s.kind = stmtMerge
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.parseAlias(kwUsing)
	p.expectKw(kwUsing, "USING")
	b := p.newBlock()
	s.blocks = append(s.blocks, b)
	p.parseSource(b)
	p.expectKw(kwOn, "ON")
	p.skipExpr(b, 0)
}

// parseUpdate parses UPDATE t [alias] SET ... [FROM ...] [WHERE ...].
func (p *parser) parseUpdate(s *statement) {
	p.next()
	s.kind = stmtUpdate
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.parseAlias(kwSet)
	p.expectKw(kwSet, "SET")
	b := p.newBlock()
	s.blocks = append(s.blocks, b)
	p.skipExpr(b, fClause)
	if p.acceptKw(kwFrom) {
		p.parseFromList(b)
	}
	p.parseClauses(b)
}

// parseDelete parses DELETE FROM t [alias] [WHERE ...], and passes over
// Hive's DELETE FILE|JAR|ARCHIVE resource commands.
func (p *parser) parseDelete(s *statement) {
	p.next()
	if !p.acceptKw(kwFrom) {
		if t := p.peek(); t.kind == tWord && (hasPrefixFold(p.src[t.start:t.end], "file") ||
			hasPrefixFold(p.src[t.start:t.end], "jar") || hasPrefixFold(p.src[t.start:t.end], "archive")) {
			p.skipRaw()
			return
		}
		p.fail("expected FROM after DELETE")
		return
	}
	s.kind = stmtDelete
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.parseAlias(kwWhere)
	if !p.atEOF() && !p.isKw(kwWhere) {
		p.fail("expected WHERE")
		return
	}
	b := p.newBlock()
	s.blocks = append(s.blocks, b)
	p.skipExpr(b, 0)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseLoad parses LOAD DATA ... INTO TABLE t and ODPS LOAD INTO|OVERWRITE
// TABLE t.
func (p *parser) parseLoad(s *statement) {
	p.next()
	for !p.atEOF() && !p.isKw(kwTable) {
		p.next()
	}
	p.expectKw(kwTable, "TABLE")
	s.kind = stmtLoad
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.endAfterName() // PARTITION (...), ODPS FROM LOCATION ...
}

// parseClone parses ODPS CLONE TABLE src [PARTITION (...), ...] TO dst
// [IF EXISTS OVERWRITE|IGNORE].
func (p *parser) parseClone(s *statement) {
	p.next()
	p.expectKw(kwTable, "TABLE after CLONE")
	s.kind = stmtClone
	src := p.parseTableName()
	if src.name != "" {
		b := p.newBlock()
		b.sources = append(b.sources, source{kind: srcTable, table: src})
		s.blocks = append(s.blocks, b)
	}
	for p.acceptKw(kwPartition) {
		if p.peek().kind != tLParen {
			p.fail("expected ( after PARTITION")
		}
		p.skipGroup(nil)
		p.accept(tComma)
	}
	p.expectKw(kwTo, "TO")
	if dst := p.parseTableName(); dst.name != "" {
		s.targets = append(s.targets, dst)
	}
	p.endAfterName() // IF EXISTS OVERWRITE
}

// parseUnload parses ODPS UNLOAD FROM {t [PARTITION (...)] | (query)} INTO
// LOCATION ...: like INSERT OVERWRITE DIRECTORY, it reads and writes no table.
func (p *parser) parseUnload(s *statement) {
	p.next()
	p.expectKw(kwFrom, "FROM after UNLOAD")
	s.kind = stmtQuery
	if p.peek().kind == tLParen {
		s.queries = append(s.queries, p.parseParenQuery())
	} else if name := p.parseTableName(); name.name != "" {
		b := p.newBlock()
		b.sources = append(b.sources, source{kind: srcTable, table: name})
		s.blocks = append(s.blocks, b)
	}
	p.endAfterName() // PARTITION (...) INTO LOCATION '...' ...
}

// parseExport parses Hive's EXPORT TABLE t [PARTITION (...)] TO 'path': like INSERT OVERWRITE DIRECTORY,
// it reads t and writes no table.
func (p *parser) parseExport(s *statement) {
	p.next()
	p.expectKw(kwTable, "TABLE after EXPORT")
	s.kind = stmtQuery
	if name := p.parseTableName(); name.name != "" {
		b := p.newBlock()
		b.sources = append(b.sources, source{kind: srcTable, table: name})
		s.blocks = append(s.blocks, b)
	}
	p.endAfterName() // PARTITION (...) TO '...' [FOR REPLICATION(...)]
}

// parseImport parses Hive's IMPORT [[EXTERNAL] TABLE t [PARTITION (...)]] FROM 'path' [LOCATION '...'],
// which writes t as LOAD DATA does. Without TABLE the table written is the one the export's metadata names,
// which the script does not say: the statement is reported, not passed over.
func (p *parser) parseImport(s *statement) {
	p.next()
	p.acceptKw(kwExternal)
	if !p.acceptKw(kwTable) {
		p.fail("IMPORT without TABLE writes the table its export names, which the script does not say")
		return
	}
	s.kind = stmtLoad
	if name := p.parseTableName(); name.name != "" {
		s.targets = append(s.targets, name)
	}
	p.endAfterName() // PARTITION (...) FROM '...' LOCATION '...'
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
	p.skipToQuery()
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
	if p.toks[p.pos+1].kind == tLParen && p.wordIs(t, "identifier") &&
		(p.d == Spark || p.peekAt(2).kind == tString && p.peekAt(3).kind == tRParen) {
		// Spark's; with a string, read in every dialect: in the others
		// identifier('x') is neither a table with a column list nor a
		// function of tables.
		return p.parseIdentifierClause()
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

// parseIdentifierClause parses Spark's IDENTIFIER(name), a table named by a
// string. With a string literal the name is the literal's content, read as
// a name written in the script (dotted, backquoted) and normalised like
// one. Any other argument (a variable, a parameter marker, an expression)
// names a table known only when the statement runs: the statement is not
// understood, rather than a table made up.
func (p *parser) parseIdentifierClause() tableName {
	p.next() // IDENTIFIER
	p.next() // (
	t := p.peek()
	if t.kind != tString || p.peekAt(1).kind != tRParen {
		p.fail("IDENTIFIER names a table known only when the statement runs")
		return tableName{}
	}
	name, parts := literalTableName(p.src[t.start+1 : t.end-1])
	if name == "" {
		p.fail("expected a table name in the IDENTIFIER string")
		return tableName{}
	}
	p.pos += 2
	return tableName{name: name, parts: parts, offset: t.start + 1}
}

// literalTableName returns the normal form of the table name s, the content
// of a string literal, and its number of parts; "" when s is no name, or
// holds an escape (a backslash), whose meaning the name would not show.
func literalTableName(s string) (string, int) {
	if strings.IndexByte(s, '\\') >= 0 {
		return "", 0
	}
	toks := lexTokens(s, nil)
	parts := 0
	for i := range toks {
		t := &toks[i]
		if i%2 == 1 {
			if t.kind != tDot {
				return "", 0
			}
			continue
		}
		if t.kind != tQuoted && t.kind != tWord && (i == 0 || t.kind != tNumber) {
			return "", 0
		}
		parts++
	}
	if len(toks)%2 == 0 {
		// empty, or ending with a dot
		return "", 0
	}
	return normalizeName(s, toks), parts
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
	if transformKw(t.kw) && p.transformAt(0) {
		// FROM src MAP src.key USING 'cat': the clause, no alias.
		return ""
	}
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
	} else if t.kind == tQuoted || (t.kind == tWord && kwFlags[t.kw]&(reservedFlags|fNoAlias) == 0 && (stop == kwNone || t.kw != stop) && p.pivotAt() == 0) {
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

// pivotAt returns the number of tokens before the '(' of a PIVOT or UNPIVOT
// clause at the current token, PIVOT (, UNPIVOT (, UNPIVOT INCLUDE|EXCLUDE
// NULLS (, or 0. Either word is an alias otherwise.
func (p *parser) pivotAt() int {
	t := p.peek()
	if t.kind != tWord || t.kw != kwNone {
		return 0
	}
	switch t.end - t.start {
	case 5:
		if p.peekAt(1).kind == tLParen && p.wordIs(t, "pivot") {
			return 1
		}
	case 7:
		if !p.wordIs(t, "unpivot") {
			return 0
		}
		if p.peekAt(1).kind == tLParen {
			return 1
		}
		if n := p.peekAt(1); (p.wordIs(n, "include") || p.wordIs(n, "exclude")) &&
			p.wordIs(p.peekAt(2), "nulls") && p.peekAt(3).kind == tLParen {
			return 3
		}
	}
	return 0
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
		p.ctes = append(p.ctes, name)
		if p.peek().kind == tLParen {
			p.skipGroup(nil)
		}
		p.expectKw(kwAs, "AS in WITH")
		p.pos += p.materializedAt(0)
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

// materializedAt returns the number of tokens of [NOT] MATERIALIZED at
// token k, after a CTE's AS: a hint to the planner (WITH s AS MATERIALIZED
// (query)), nothing to lineage.
func (p *parser) materializedAt(k int) int {
	switch {
	case p.peekAt(k).kw == kwMaterialized:
		return 1
	case p.peekAt(k).kw == kwNot && p.peekAt(k+1).kw == kwMaterialized:
		return 2
	}
	return 0
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
		sel := p.parseBody()
		if sel == nil {
			p.fail("expected SELECT after the FROM clause")
			return b
		}
		// The FROM clause's sources and subqueries come first. Insert into
		// sel's own slices: arena nodes must never share backing arrays.
		sel.sources = slices.Insert(sel.sources, 0, b.sources...)
		sel.subqueries = slices.Insert(sel.subqueries, 0, b.subqueries...)
		return sel
	case t.kind == tWord && t.kw == kwValues:
		// Spark names a query's inline table as a FROM item's: VALUES
		// (1, 1) AS t(a, b).
		b := p.newBlock()
		p.parseValues(b)
		b.sources[len(b.sources)-1].alias = p.parseAlias(kwNone)
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
	case t.kind == tWord && transformKw(t.kw) && p.transformAt(0):
		return p.parseTransform()
	}
	p.fail("expected SELECT")
	return p.newBlock()
}

// parseParenQuery parses ( query ). A failure inside the parentheses costs
// the rest of that query only: parsing goes on after its ')'.
func (p *parser) parseParenQuery() *query {
	open := p.pos
	p.expect(tLParen, "(")
	q := p.parseQuery()
	p.expect(tRParen, ")")
	if p.err != nil {
		p.recoverGroup(open)
	}
	return q
}

// recoverGroup ends the unwinding of a failure inside the group that opens
// at token open, resuming after its ')': what the group's query read before
// the failure is kept, and the tokens after it are left to the guard. A
// group that does not close, or closes before the failure, cannot resume.
func (p *parser) recoverGroup(open int) {
	if p.fatal || p.toks[open].kind != tLParen {
		return
	}
	if c := p.matchParen(open); c >= p.errAt {
		p.err = nil
		p.pos = c + 1
	}
}

// matchParen returns the index of the ')' that closes the '(' at token
// open, or -1. All pairs of the statement are found in one pass the first
// time: recovery may ask for every group of a long statement, and scanning
// each to its end (or the statement's, when unbalanced) would be quadratic.
func (p *parser) matchParen(open int) int {
	if !p.matched {
		p.matched = true
		p.match = slices.Grow(p.match[:0], len(p.toks))[:len(p.toks)]
		p.open = p.open[:0]
		for i := range p.toks {
			p.match[i] = -1
			switch p.toks[i].kind {
			case tLParen:
				p.open = append(p.open, int32(i))
			case tRParen:
				if n := len(p.open); n > 0 {
					p.match[p.open[n-1]] = int32(i)
					p.open = p.open[:n-1]
				}
			}
		}
	}
	return int(p.match[open])
}

// parseSelect parses SELECT items [FROM ...] [clauses].
func (p *parser) parseSelect() *selectBlock {
	b := p.newBlock()
	if t := p.peek(); t.kw == kwSelect && t.cls&clsRead == 0 {
		// Marked read for the guard, which looks for SELECTs left over.
		t.cls |= clsRead
		p.selects++
	}
	p.expectKw(kwSelect, "SELECT")
	if !p.acceptKw(kwAll) {
		p.acceptKw(kwDistinct)
	}
	return p.parseListAndFrom(b)
}

// parseListAndFrom parses a select list, [FROM ...] and the clauses of b. The
// list is kept whole; its items are the parts between top-level commas.
// ON/USING do not end it: SELECT TRANSFORM(...) USING 'x'.
func (p *parser) parseListAndFrom(b *selectBlock) *selectBlock {
	b.list.from = p.pos
	p.skipExpr(b, fClause|fSetOp|fInsert|fSelect|fJoin)
	b.list.to = p.pos
	if p.acceptKw(kwFrom) {
		p.parseFromList(b)
	}
	p.parseClauses(b)
	return b
}

// parseTransform parses Hive's MAP|REDUCE cols [ROW FORMAT ...] USING
// 'script' [AS ...] [ROW FORMAT ...] [FROM ...] [clauses], a SELECT
// TRANSFORM (cols) by another name: its list, script clauses and all, is
// skipped as a select list is.
func (p *parser) parseTransform() *selectBlock {
	b := p.newBlock()
	p.next() // MAP | REDUCE
	return p.parseListAndFrom(b)
}

// parseClauses parses WHERE, GROUP BY, HAVING, ORDER BY, ... of a block.
func (p *parser) parseClauses(b *selectBlock) {
	for {
		t := p.peek()
		// ORDER without BY is no clause: the statement then fails on it
		// rather than skip what follows as the clause's expression.
		if t.kind != tWord || kwFlags[t.kw]&fClause == 0 || t.kw == kwFrom || !p.keywordStops(p.pos) {
			return
		}
		p.next()
		// A JOIN ends a WHERE too: it cannot belong to the condition, and
		// the statement then fails on it rather than skip its table.
		p.skipExpr(b, fClause|fSetOp|fJoin|fInsert|fSelect)
	}
}

// tableFunctions are the built-in functions that return a table.
var tableFunctions = map[string]bool{"range": true, "explode": true, "explode_outer": true, "posexplode": true,
	"posexplode_outer": true, "inline": true, "inline_outer": true, "json_tuple": true, "parse_url_tuple": true,
	"stack": true, "unnest": true, "generate_series": true}

// parseViewCall parses the call of a MaxCompute parameterized view, v(args), which reads v, and each
// argument that is a table: a table parameter takes a table's name or a subquery (pv(src, '2024'),
// pv((select ...))). A MaxCompute user-defined table function is called in a select list or LATERAL VIEW,
// never in FROM, so a call there that is no built-in table function is a view's.
func (p *parser) parseViewCall(b *selectBlock, name tableName) {
	open := p.pos
	if end := p.matchParen(open); end > open {
		for i := open + 1; i < end; {
			// One argument: a name alone (parts joined by dots) is a table.
			j := i
			for isNameToken(&p.toks[j]) && p.toks[j+1].kind == tDot && j+2 < end {
				j += 2
			}
			if t := &p.toks[j]; j < end && isNameToken(t) && (p.toks[j+1].kind == tComma || j+1 == end) && !p.scalarWord(t) {
				arg := normalizeName(p.src, p.toks[i:j+1])
				b.sources = append(b.sources, source{kind: srcTable, table: tableName{name: arg, parts: (j-i)/2 + 1, offset: p.toks[i].start}})
			}
			// On to the next argument, over the groups in this one.
			for ; j < end && p.toks[j].kind != tComma; j++ {
				if p.toks[j].kind == tLParen {
					j = max(j, p.matchParen(j))
				}
			}
			i = j + 1
		}
	}
	p.skipGroup(b) // the arguments' subqueries
	b.sources = append(b.sources, source{kind: srcTable, table: name, alias: p.parseAlias(kwNone)})
}

// scalarWord reports whether a word standing alone as an argument is a value, not a table: TRUE, FALSE, NULL,
// or a scheduler variable ${bizdate}.
func (p *parser) scalarWord(t *token) bool {
	w := p.src[t.start:t.end]
	return strings.EqualFold(w, "true") || strings.EqualFold(w, "false") || strings.EqualFold(w, "null") ||
		strings.HasPrefix(w, "${") && strings.IndexByte(w, '}') == len(w)-1
}

// parseValues parses the rows of VALUES (row), (row) or VALUES a, b, c (a
// row of one column each). As in Spark's grammar, a comma always brings
// another row: the caller parses the alias.
func (p *parser) parseValues(b *selectBlock) {
	p.expectKw(kwValues, "VALUES")
	for {
		if p.peek().kind == tLParen {
			p.skipGroup(b)
		} else {
			p.skipExpr(b, fClause|fSetOp|fInsert|fSelect|fJoin|fOn|stopComma)
		}
		if !p.accept(tComma) {
			break
		}
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
	if p.isKw(kwUniquejoin) && p.uniqueJoinAt() {
		p.parseUniqueJoin(b)
		return
	}
	p.parseSource(b)
	p.parseJoins(b)
}

// uniqueJoinAt reports whether the UNIQUEJOIN at the current token begins
// Hive's unique join, whose items are [PRESERVE] src [[AS] alias] (keys),
// src a table [TABLESAMPLE (...)] or a parenthesised query. Otherwise the
// word names a table: read as one, it would come with the first item's
// table for its alias, and the real tables would be lost.
func (p *parser) uniqueJoinAt() bool {
	k := 1
	if p.wordIs(p.peekAt(k), "preserve") {
		k++
	}
	if p.peekAt(k).kind == tLParen {
		return p.queryStartsAt(k)
	}
	if !isNameToken(p.peekAt(k)) {
		return false
	}
	for k++; p.peekAt(k).kind == tDot && isNamePart(p.peekAt(k+1)); k += 2 {
	}
	if p.peekAt(k).kw == kwTablesample && p.peekAt(k+1).kind == tLParen {
		c := p.matchParen(p.pos + k + 1)
		if c < 0 {
			return false
		}
		k = c + 1 - p.pos
	}
	return p.uniqueJoinAlias(k) >= 0
}

// uniqueJoinAlias returns where the keys of a unique join item open when
// its [[AS] alias] begins at token k, or -1 if no '(' follows.
func (p *parser) uniqueJoinAlias(k int) int {
	if p.peekAt(k).kw == kwAs {
		k++
	}
	if t := p.peekAt(k); t.kind == tQuoted || (t.kind == tWord && kwFlags[t.kw]&(reservedFlags|fNoAlias) == 0) {
		k++
	}
	if p.peekAt(k).kind != tLParen {
		return -1
	}
	return k
}

// parseUniqueJoin parses Hive's UNIQUEJOIN [PRESERVE] src [alias] (keys),
// ..., a whole FROM clause: each src is read, each key list's subqueries
// too.
func (p *parser) parseUniqueJoin(b *selectBlock) {
	p.next() // UNIQUEJOIN
	for p.err == nil {
		if p.wordIs(p.peek(), "preserve") {
			p.next()
		}
		var src source
		if p.peek().kind == tLParen {
			src = source{kind: srcDerived, query: p.parseParenQuery()}
		} else {
			src = source{kind: srcTable, table: p.parseTableName()}
			if p.acceptKw(kwTablesample) {
				if p.peek().kind != tLParen {
					p.fail("expected (")
					return
				}
				p.skipGroup(nil)
			}
		}
		// The source is kept even when its keys are missing.
		k := p.uniqueJoinAlias(0)
		if k > 0 && p.peekAt(k-1).kw != kwAs {
			t := p.peekAt(k - 1)
			src.alias = p.src[t.start:t.end]
		}
		if src.kind != srcTable || src.table.name != "" {
			b.sources = append(b.sources, src)
		}
		if k < 0 {
			p.fail("expected the UNIQUEJOIN keys in parentheses")
			return
		}
		p.pos += k
		p.skipGroup(b)
		if !p.accept(tComma) {
			return
		}
	}
}

// parseJoins parses the rest of a FROM list after a source: {, source |
// join source [ON ... | USING (...)] | LATERAL VIEW ...}.
func (p *parser) parseJoins(b *selectBlock) {
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
		case kwNone:
			if k := p.pivotAt(); k > 0 {
				// PIVOT (...) / UNPIVOT [INCLUDE|EXCLUDE NULLS] (...)
				// [alias]: the relation's rows turned, no table read.
				p.pos += k
				p.skipGroup(b)
				p.parseAlias(kwNone)
				continue
			}
			return
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
			// A top-level comma ends the condition: FROM a JOIN b ON
			// cond, c reads c.
			p.skipExpr(b, fClause|fSetOp|fJoin|fInsert|fSelect|stopComma)
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
		if p.peek().kind == tLParen && !p.optionsAt(1) {
			if n := p.peekAt(1); n.kind == tWord && n.kw == kwOn {
				p.parseTableFunctionOn(b)
				return
			}
			if p.d == ODPS && !tableFunctions[name.name] {
				p.parseViewCall(b, name)
				return
			}
			// table-valued function: range(24), explode(...), json_tuple(...)
			p.skipGroup(b)
			b.sources = append(b.sources, source{kind: srcFunction, alias: p.parseAlias(kwNone)})
			return
		}
		p.parseTableSuffixes(b)
		src := source{kind: srcTable, table: name}
		src.alias = p.parseAlias(kwNone)
		b.sources = append(b.sources, src)
	}
}

// parseTableSuffixes parses what may follow the name of a table read, before
// its alias, in any order: PARTITION (spec), TABLESAMPLE (...), options of
// the read, Hive 4's ('key'='value', ...) and Spark's WITH (...), and time
// travel, [FOR] SYSTEM_TIME|TIMESTAMP|SYSTEM_VERSION|VERSION AS OF value
// (Spark, Delta, Iceberg on Hive, MaxCompute). A failure leaves the table
// read.
func (p *parser) parseTableSuffixes(b *selectBlock) {
	for p.err == nil {
		t := p.peek()
		switch {
		case t.kind == tLParen && p.optionsAt(1):
			p.skipGroup(nil)
		case t.kind != tWord:
			return
		// PARTITION (spec): PARTITION BY ends a table function's ON
		// source.
		case t.kw == kwPartition && p.peekAt(1).kind == tLParen, t.kw == kwTablesample, t.kw == kwWith && p.peekAt(1).kind == tLParen:
			p.next()
			if p.peek().kind != tLParen {
				p.fail("expected (")
				return
			}
			p.skipGroup(nil)
		case t.kw == kwNone:
			k := p.asOfAt()
			if k == 0 {
				return
			}
			p.pos += k
			p.skipAsOfValue(b)
		default:
			return
		}
	}
}

// asOfAt returns the number of tokens of a time travel clause's head at the
// current token, [FOR] SYSTEM_TIME|TIMESTAMP|SYSTEM_VERSION|VERSION AS OF,
// or 0. Without AS OF those words are aliases: from t version.
func (p *parser) asOfAt() int {
	k := 0
	if p.peekAt(1).kw != kwAs {
		if p.peekAt(2).kw != kwAs || !p.wordIs(p.peek(), "for") {
			return 0
		}
		k = 1
	}
	if t := p.peekAt(k); !p.wordIs(t, "timestamp") && !p.wordIs(t, "version") &&
		!p.wordIs(t, "system_time") && !p.wordIs(t, "system_version") {
		return 0
	}
	if !p.wordIs(p.peekAt(k+2), "of") {
		return 0
	}
	return k + 3
}

// skipAsOfValue skips the version or timestamp of a time travel clause: an
// expression, read up to the alias or whatever ends the FROM item. It is
// operands joined by operators, each a literal, a name, a call
// (current_timestamp(), date_sub(...)), a typed literal (TIMESTAMP '...'),
// an interval (INTERVAL 1 DAY) or a parenthesised group, whose subqueries
// are read into b when b is not nil.
func (p *parser) skipAsOfValue(b *selectBlock) {
	for p.err == nil {
		for p.peek().kind == tOp {
			p.next() // a sign, or the second ':' of '::'
		}
		t := p.peek()
		switch t.kind {
		case tString, tNumber, tAtVar:
			p.next()
		case tLParen:
			p.skipGroup(b)
		case tWord, tQuoted:
			switch n := p.peekAt(1); {
			case p.wordIs(t, "interval"):
				// INTERVAL 1 DAY, INTERVAL '1' DAY, INTERVAL 1 DAY 2 HOURS
				p.next()
				for k := p.peek().kind; k == tNumber || k == tString; k = p.peek().kind {
					p.next()
					if u := p.peek(); u.kind == tWord && u.kw == kwNone && !p.wordIs(u, "as") {
						p.next()
					}
				}
			case n.kind == tString && t.kind == tWord:
				p.pos += 2 // TIMESTAMP '2024-01-01 00:00:00'
			default:
				p.parseTableName() // a name, or a function's
				if p.peek().kind == tLParen {
					p.skipGroup(b)
				}
			}
		default:
			p.fail("expected a version or timestamp after AS OF")
			return
		}
		if p.peek().kind != tOp {
			return
		}
		p.next()
	}
}

// optionsAt reports whether the group whose '(' is at k-1 is a list of
// options, 'key' = value, ...: after a table name, t1('acid.fetch.deleted.rows'='true')
// is Hive 4's read options of table t1, no table function.
func (p *parser) optionsAt(k int) bool {
	if p.peekAt(k).kind != tString {
		return false
	}
	t := p.peekAt(k + 1)
	return t.kind == tOp && p.src[t.start:t.end] == "="
}

// parseTableFunctionOn parses the rest of a Hive partitioned table
// function, fn(ON source [PARTITION BY ... ORDER BY ...] [arg1(expr), ...])
// [alias], after its name. The ON source is a FROM item like any other (a
// table, a subquery or another such function) and its tables are read; the
// rest of the arguments are expressions, whose subqueries are read too.
func (p *parser) parseTableFunctionOn(b *selectBlock) {
	p.next() // (
	p.next() // ON
	p.parseSource(b)
	p.skipExpr(b, 0)
	p.expect(tRParen, ") after the table function's arguments")
	b.sources = append(b.sources, source{kind: srcFunction, alias: p.parseAlias(kwNone)})
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
			// (SELECT ...) is a subquery; ((SELECT ...) + 1) and
			// f((SELECT ...), 0) are groups holding one.
			if p.queryAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
			continue
		case tWord:
			// A keyword of a stop class, unless it is used as a name. FROM,
			// the commonest, always stops: no call for it.
			if t.kw == kwFrom || p.keywordStops(i) {
				return
			}
		}
		p.next()
	}
}

// keywordStops reports whether the keyword at token i, of a class that ends
// an expression, really begins a clause, a join, a set operation or a
// multi-insert branch. Scheduled scripts use reserved words as column names
// (select order, user from t; where sort = 1): a keyword that the rest of
// its clause does not follow is read as a name. LEFT(...) and RIGHT(...) are
// functions.
func (p *parser) keywordStops(i int) bool {
	t, n := &p.toks[i], &p.toks[i+1] // t is not the tEOF marker, so n exists
	// The common cases first, without a switch: its binary search was a
	// measurable share of the parser's mispredicted branches.
	f := kwFollow[t.kw]
	if f == followAlways {
		return true
	}
	if f == followAny {
		// select a, limit from t; select offset from t: no clause ends at
		// once, or is followed by FROM.
		return n.cls&clsEnd == 0 && n.kind != tComma && n.kw != kwFrom
	}
	switch f {
	case followBy:
		return n.kw == kwBy
	case followJoinOrOuter:
		return n.kw == kwJoin || n.kw == kwOuter || n.kw == kwSemi || n.kw == kwAnti
	case followJoin:
		return n.kw == kwJoin
	case followNatural:
		return n.kw == kwJoin || n.kw == kwLeft || n.kw == kwRight || n.kw == kwFull || n.kw == kwInner
	case followInto:
		return n.kw == kwInto || n.kw == kwOverwrite
	case followQuery:
		// SELECT * EXCEPT (a, b) names columns; a set operation is
		// followed by a query, ALL or DISTINCT.
		switch n.kw {
		case kwAll, kwDistinct, kwSelect, kwFrom, kwWith, kwValues, kwTable:
			return true
		case kwMap, kwReduce:
			return p.transformAt(i + 1 - p.pos)
		}
		return n.kind == tLParen && p.queryStartsAt(i+1-p.pos)
	case followWindowName:
		// WINDOW w AS (...)
		return (n.kind == tWord || n.kind == tQuoted) && p.toks[min(i+2, len(p.toks)-1)].kw == kwAs
	}
	return true
}

// skipGroup skips a balanced ( ... ) group. Subqueries inside it are parsed
// into b when b is not nil.
func (p *parser) skipGroup(b *selectBlock) {
	if !p.enter() {
		return
	}
	defer p.leave()
	open := p.pos
	p.expect(tLParen, "(")
	if b != nil && p.queryStartsAt(0) {
		// TABLE(SELECT ...), fn(SELECT ...). A query that opens the group
		// closes it; only a parenthesised one may go on in an expression:
		// ((SELECT ...) + 1).
		bare := p.peek().kind != tLParen
		b.subqueries = append(b.subqueries, p.parseQuery())
		if bare && p.peek().kind != tRParen {
			p.fail("expected ) after the subquery")
		}
		if p.err != nil {
			// As in parseParenQuery: the failure costs this group only.
			p.recoverGroup(open)
			return
		}
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
			if b != nil && p.queryAt(1) {
				b.subqueries = append(b.subqueries, p.parseParenQuery())
			} else {
				p.skipGroup(b)
			}
			continue
		}
		p.next()
	}
}
