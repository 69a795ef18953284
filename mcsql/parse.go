package mcsql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse parses a script of statements separated by semicolons (the last one may omit it). Every
// statement is returned as a pointer (*CreateTable, *SetFlag, ...), in script order; empty statements are
// skipped.
//
// The first statement that does not parse, or that Sluice refuses (it reads or writes data, or is not a
// metadata statement), stops the parse: Parse returns an *Error, together with the statements before it,
// so that a caller that runs statements as it goes (as odpscmd does) can tell how far the script got; a
// caller that runs a script all or nothing ignores them. A syntax error is at the offending token; a
// refused statement at its start, a refused clause (AS SELECT, PARTITION, ...) at the clause.
func Parse(script string) ([]Statement, error) {
	lx := lexer{src: script}
	p := &parser{src: script, pos: posTracker{src: script}}
	var out []Statement
	var toks []token
	for {
		toks = lx.statement(toks[:0])
		if len(toks) > 1 {
			st, err := p.statement(toks)
			if err != nil {
				return out, err
			}
			out = append(out, st)
		}
		if toks[len(toks)-1].kind == tEOF {
			return out, nil
		}
	}
}

// parser is a recursive-descent parser over the tokens of one statement at a time.
type parser struct {
	src  string
	toks []token // the statement's tokens, then its terminator (tSemi or tEOF)
	i    int     // next token
	node Node
	pos  posTracker
}

// bailout carries a parse error up the recursive descent to statement, which recovers it; any other
// panic is a bug and goes on up. Every parse function would otherwise check an error after each token.
type bailout struct{ err *Error }

// statement parses one statement from toks, which end with its terminator.
func (p *parser) statement(toks []token) (st Statement, err error) {
	p.toks, p.i = toks, 0
	first, last := toks[0], toks[len(toks)-2]
	p.node = Node{Pos: p.pos.at(first.start), Text: p.src[first.start:last.end]}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			st, err = nil, b.err
		}
	}()
	return p.dispatch(), nil
}

// Tokens.

// peek returns the next token; at the end of the statement, its terminator.
func (p *parser) peek() token { return p.toks[p.i] }

// peekAt returns the token n places after the next one, or the terminator.
func (p *parser) peekAt(n int) token {
	return p.toks[min(p.i+n, len(p.toks)-1)]
}

func (p *parser) text(t token) string { return p.src[t.start:t.end] }

func isEnd(t token) bool { return t.kind == tSemi || t.kind == tEOF }

// isKw reports whether t is the bare word kw (upper case), in any case.
func (p *parser) isKw(t token, kw string) bool {
	return t.kind == tWord && t.end-t.start == len(kw) && strings.EqualFold(p.src[t.start:t.end], kw)
}

// isPunct reports whether t is the punctuation c.
func (p *parser) isPunct(t token, c byte) bool {
	return t.kind == tPunct && p.src[t.start] == c
}

func (p *parser) acceptKw(kw string) bool {
	if p.isKw(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) {
	if t := p.peek(); !p.isKw(t, kw) {
		p.unexpected(t, kw)
	}
	p.i++
}

func (p *parser) acceptPunct(c byte) bool {
	if p.isPunct(p.peek(), c) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectPunct(c byte) {
	t := p.peek()
	if !p.isPunct(t, c) {
		p.unexpected(t, strconv.Quote(string(c)))
	}
	p.i++
}

// end requires the end of the statement.
func (p *parser) end() {
	if t := p.peek(); !isEnd(t) {
		p.unexpected(t, "end of statement")
	}
}

// Errors.

func (p *parser) fail(t token, refused bool, msg string) {
	panic(bailout{&Error{Pos: p.pos.at(t.start), Msg: msg, Refused: refused}})
}

// unexpected reports t where expected was wanted. A tError token reports what is unterminated instead.
func (p *parser) unexpected(t token, expected string) {
	if t.kind == tError {
		p.fail(t, false, "syntax error: "+unterminated(p.src[t.start]))
	}
	p.fail(t, false, "syntax error: unexpected "+p.tokName(t)+", expected "+expected)
}

func unterminated(c byte) string {
	switch c {
	case '`':
		return "unterminated backquoted identifier"
	case '/':
		return "unterminated comment"
	}
	return "unterminated string literal"
}

// tokName names a token in an error message.
func (p *parser) tokName(t token) string {
	s := p.text(t)
	if len(s) > 40 {
		cut := 37
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	switch t.kind {
	case tEOF, tSemi:
		return "end of statement"
	case tString:
		return "string " + s
	case tNumber:
		return "number " + s
	case tPunct:
		return strconv.Quote(s)
	}
	return s
}

// refuse refuses the whole statement, at its start.
func (p *parser) refuse(msg string) {
	panic(bailout{&Error{Pos: p.node.Pos, Msg: msg, Refused: true}})
}

// refuseAt refuses a clause of the statement, at the token that starts it.
func (p *parser) refuseAt(t token, msg string) {
	p.fail(t, true, msg)
}

// refuseData refuses a statement that reads or writes data; what names it ("INSERT", "CREATE TABLE ... AS").
func (p *parser) refuseData(what string) {
	p.refuse(what + " reads or writes data: Sluice keeps metadata and does not run queries")
}

// refuseUnsupported refuses a statement Sluice does not run; why says what to do instead.
func (p *parser) refuseUnsupported(what, why string) {
	if why == "" {
		why = "Sluice runs only table, view, function, label, SHOW, DESCRIBE and package statements"
	}
	p.refuse(what + " is not supported: " + why)
}

// Literals and names.

// ident parses a bare or backquoted identifier.
func (p *parser) ident(what string) string {
	t := p.peek()
	switch t.kind {
	case tWord:
		p.i++
		return p.text(t)
	case tQuoted:
		s := unquote(p.text(t))
		if s == "" {
			p.fail(t, false, "syntax error: empty identifier")
		}
		p.i++
		return s
	}
	p.unexpected(t, what)
	return ""
}

// name parses a possibly qualified name: name, project.name or project.schema.name.
func (p *parser) name(what string) Name {
	var parts [3]string
	n := 0
	for {
		parts[n] = p.ident(what)
		n++
		if n == 3 || !p.isPunct(p.peek(), '.') {
			break
		}
		p.i++
	}
	switch n {
	case 1:
		return Name{Name: parts[0]}
	case 2:
		return Name{Project: parts[0], Name: parts[1]}
	}
	return Name{Project: parts[0], Schema: parts[1], Name: parts[2]}
}

// simpleName parses an unqualified name (a project or a package).
func (p *parser) simpleName(what string) string {
	s := p.ident(what)
	if t := p.peek(); p.isPunct(t, '.') {
		p.unexpected(t, "an unqualified "+strings.TrimPrefix(what, "a "))
	}
	return s
}

// fileName parses the name of a resource or an instance: a file name such as udtf.jar or my-lib.py, not a
// qualified name. It is the run of tokens written without space between them, or one quoted token, and
// is returned whole.
func (p *parser) fileName(what string) string {
	t := p.peek()
	switch t.kind {
	case tString, tQuoted:
		p.i++
		s := unquote(p.text(t))
		if s == "" {
			p.fail(t, false, "syntax error: empty "+what)
		}
		return s
	}
	if !fileNamePart(p, t) {
		p.unexpected(t, what)
	}
	start, end := t.start, t.end
	p.i++
	for t = p.peek(); t.start == end && fileNamePart(p, t); t = p.peek() {
		end = t.end
		p.i++
	}
	return p.src[start:end]
}

func fileNamePart(p *parser, t token) bool {
	switch t.kind {
	case tWord, tNumber:
		return true
	case tPunct:
		return strings.IndexByte("(),=", p.src[t.start]) < 0
	}
	return false
}

// str parses a string literal.
func (p *parser) str(what string) string {
	t := p.peek()
	if t.kind != tString {
		p.unexpected(t, what)
	}
	p.i++
	return unquote(p.text(t))
}

// integer parses a non-negative integer literal.
func (p *parser) integer(what string) int {
	t := p.peek()
	if t.kind != tNumber {
		p.unexpected(t, what)
	}
	n, err := strconv.Atoi(p.text(t))
	if err != nil || n < 0 {
		if strings.Trim(p.text(t), "0123456789") == "" {
			p.fail(t, false, "syntax error: number "+p.text(t)+" out of range")
		}
		p.unexpected(t, what)
	}
	p.i++
	return n
}

// ifNotExists parses an optional IF NOT EXISTS; IF alone is left for the name it may be.
func (p *parser) ifNotExists() bool {
	if p.isKw(p.peek(), "IF") && p.isKw(p.peekAt(1), "NOT") {
		p.i += 2
		p.expectKw("EXISTS")
		return true
	}
	return false
}

// ifExists parses an optional IF EXISTS.
func (p *parser) ifExists() bool {
	if p.isKw(p.peek(), "IF") && p.isKw(p.peekAt(1), "EXISTS") {
		p.i += 2
		return true
	}
	return false
}

// skipParens skips a parenthesised group whose content Sluice ignores (TBLPROPERTIES, CLUSTERED BY, ...).
func (p *parser) skipParens() {
	p.expectPunct('(')
	depth := 1
	for depth > 0 {
		t := p.peek()
		switch {
		case isEnd(t) || t.kind == tError:
			p.unexpected(t, `")"`)
		case p.isPunct(t, '('):
			depth++
		case p.isPunct(t, ')'):
			depth--
		}
		p.i++
	}
}

// rest returns the source from the next token to the end of the statement, trimmed, and consumes it:
// the query of a view, the value of a flag.
func (p *parser) rest() string {
	last := len(p.toks) - 1
	if p.i == last {
		return ""
	}
	if t := p.toks[last-1]; t.kind == tError {
		p.unexpected(t, "")
	}
	s := p.src[p.toks[p.i].start:p.toks[last-1].end]
	p.i = last
	return s
}
