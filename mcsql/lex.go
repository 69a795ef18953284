package mcsql

import (
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice/internal/sqlspace"
)

// tokKind is the lexical class of a token.
type tokKind uint8

const (
	tEOF    tokKind = iota // end of the script
	tSemi                  // ;
	tWord                  // bare identifier or keyword
	tQuoted                // `backquoted identifier`
	tString                // '...' or "..."
	tNumber                // 12, 1.5, 1e-3, 10L, 2BD
	tPunct                 // any other single byte: ( ) , . < > : = * ...
	tError                 // an unterminated string, identifier or comment; runs to the end of the script
)

// token is one lexeme: its class and its byte range in the script. Values (unquoted strings and
// identifiers, upper-cased keywords) are computed by the parser when it needs them, so lexing a long
// script allocates nothing but the token slice.
type token struct {
	kind  tokKind
	start int
	end   int
}

// Byte classes for the lexer.
const (
	cSpace = 1 << iota
	cWord  // may continue an identifier
	cStart // may start an identifier
	cDigit
	cHigh // a byte of a non-ASCII character
)

var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\r\n\f\v" {
		t[c] = cSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cWord | cStart
		t[c-'a'+'A'] = cWord | cStart
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cWord | cDigit
	}
	t['_'] = cWord | cStart
	// Bytes of non-ASCII characters belong to words, so a name in Chinese is one identifier and a
	// column counts characters, never half of one.
	for c := 0x80; c < 0x100; c++ {
		t[c] = cWord | cStart | cHigh
	}
	// The lead bytes that white space beyond ASCII shares with other characters do not continue a
	// word by their class alone: the word loops stop on them and ask sqlspace.Len.
	for _, c := range sqlspace.Leads {
		t[c] &^= cWord
	}
	return t
}()

// wordByte reports whether src[i] continues a word: a word byte, or the first byte of a non-ASCII
// character that is not white space.
func wordByte(src string, i int) bool {
	cl := byteClass[src[i]]
	return cl&cWord != 0 || cl&cHigh != 0 && sqlspace.Len(src, i) == 0
}

// lexer splits a script into tokens, one statement at a time, so that the tokens of a long script are
// never all held at once.
type lexer struct {
	src string
	i   int // next byte
}

// statement appends the tokens of the next statement to toks, white space and comments dropped, up to
// and including its terminator: a tSemi, or a tEOF at the end of the script. It never fails: an
// unterminated construct becomes a tError token running to the end of the script, followed by tEOF, and
// the parser reports it when it gets there, so the statements before it still parse.
func (l *lexer) statement(toks []token) []token {
	for {
		t := l.next()
		toks = append(toks, t)
		switch t.kind {
		case tSemi, tEOF:
			return toks
		case tError:
			return append(toks, token{tEOF, len(l.src), len(l.src)})
		}
	}
}

// next returns the next token; every token ends where the next one's scan begins.
func (l *lexer) next() token {
	t := scan(l.src, l.i)
	l.i = t.end
	return t
}

// scan returns the first token at or after byte i of src.
func scan(src string, i int) token {
	n := len(src)
	for i < n {
		c := src[i]
		cl := byteClass[c]
		if cl&cSpace != 0 {
			i++
			continue
		}
		if cl&cHigh != 0 {
			if k := sqlspace.Len(src, i); k > 0 {
				i += k
				continue
			}
		}
		start := i
		switch {
		case cl&cStart != 0:
			i++
			for i < n && wordByte(src, i) {
				i++
			}
			return token{tWord, start, i}
		case cl&cDigit != 0:
			i = lexNumber(src, i)
			return token{tNumber, start, i}
		}
		switch c {
		case ';':
			i++
			return token{tSemi, start, i}
		case '-':
			if i+1 < n && src[i+1] == '-' {
				j := strings.IndexByte(src[i+2:], '\n')
				if j < 0 {
					i = n
				} else {
					i += 2 + j + 1
				}
				continue
			}
		case '/':
			if i+1 < n && src[i+1] == '*' {
				j := strings.Index(src[i+2:], "*/")
				if j < 0 {
					return token{tError, start, n}
				}
				i += 2 + j + 2
				continue
			}
		case '\'', '"', '`':
			end, ok := scanQuoted(src, i)
			switch {
			case !ok:
				return token{tError, start, n}
			case c == '`':
				return token{tQuoted, start, end}
			}
			return token{tString, start, end}
		}
		return token{tPunct, start, i + 1}
	}
	return token{tEOF, n, n}
}

// lexNumber returns the end of the number starting at i: digits, an optional fraction and exponent, and
// a type suffix (10L, 1.5BD, 3Y) taken with any other word bytes that follow.
func lexNumber(src string, i int) int {
	n := len(src)
	digits := func() {
		for i < n && byteClass[src[i]]&cDigit != 0 {
			i++
		}
	}
	digits()
	if i+1 < n && src[i] == '.' && byteClass[src[i+1]]&cDigit != 0 {
		i++
		digits()
	}
	if i+1 < n && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j+1 < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < n && byteClass[src[j]]&cDigit != 0 {
			i = j
			digits()
		}
	}
	for i < n && wordByte(src, i) {
		i++
	}
	return i
}

// scanQuoted returns the end of the quoted string or identifier opening at i. Inside '...' and "...",
// a backslash escapes the next byte; in all three, a doubled quote stands for one.
func scanQuoted(src string, i int) (int, bool) {
	q := src[i]
	n := len(src)
	i++
	for i < n {
		b := src[i]
		switch {
		case b == '\\' && q != '`':
			i += 2
		case b == q:
			if i+1 < n && src[i+1] == q {
				i += 2
				continue
			}
			return i + 1, true
		default:
			i++
		}
	}
	return n, false
}

// unquote returns the value of a tString or tQuoted token's text.
func unquote(s string) string {
	q := s[0]
	body := s[1 : len(s)-1]
	if q == '`' {
		return strings.ReplaceAll(body, "``", "`")
	}
	if strings.IndexByte(body, '\\') < 0 && strings.IndexByte(body, q) < 0 {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == q { // the first of a doubled quote
			b.WriteByte(q)
			i++
			continue
		}
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		c = body[i]
		switch c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case '0', '1', '2', '3':
			// \ooo, as in MaxCompute's and Hive's string literals ("\001" is the usual field
			// separator); a lone \0 is NUL.
			if i+2 < len(body) && isOctal(body[i+1]) && isOctal(body[i+2]) {
				b.WriteByte((c-'0')<<6 | (body[i+1]-'0')<<3 | (body[i+2] - '0'))
				i += 2
			} else if c == '0' {
				b.WriteByte(0)
			} else {
				b.WriteByte(c)
			}
		case 'u':
			if r, ok := hex4(body[i+1:]); ok {
				b.WriteRune(r)
				i += 4
			} else {
				b.WriteByte(c)
			}
		default:
			// \\, \', \" and any other escaped character stand for the character itself.
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := range 4 {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// posTracker turns byte offsets into line and column. Offsets are asked for in increasing order (each
// statement's start, then at most one error), so it walks forward from the last answer and the whole
// script is walked once, however long its lines.
type posTracker struct {
	src  string
	off  int
	line int
	col  int
}

func (t *posTracker) at(off int) Pos {
	if t.line == 0 || off < t.off {
		t.off, t.line, t.col = 0, 1, 1
	}
	off = min(off, len(t.src))
	for t.off < off {
		c := t.src[t.off]
		switch {
		case c == '\n':
			t.line++
			t.col = 1
			t.off++
		case c < utf8.RuneSelf:
			t.col++
			t.off++
		default:
			_, size := utf8.DecodeRuneInString(t.src[t.off:])
			t.col++
			t.off += size
		}
	}
	return Pos{Line: t.line, Column: t.col, Offset: off}
}
