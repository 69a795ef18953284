package lineage

import (
	"strings"

	"github.com/sluice-dev/sluice/internal/sqlspace"
)

// tokKind is the lexical class of a token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // identifier or keyword; may embed ${var} references
	tQuoted         // `backquoted identifier`
	tString         // '...' or "..."
	tNumber         // 12, 1.5, 1e3, 10L (1902_lp is a tWord)
	tAtVar          // @name: an ODPS script variable
	tLParen         // (
	tRParen         // )
	tComma          // ,
	tDot            // .
	tSemi           // ;
	tAssign         // :=
	tOp             // any other operator or punctuation
	tError          // an unterminated string, identifier, comment or ${
)

// token is one lexeme. start and end are byte offsets into the script.
type token struct {
	kind  tokKind
	kw    kw     // keyword id of a tWord, kwNone otherwise
	upper bool   // a tWord with upper-case ASCII letters outside ${...}: its normal form differs from its text
	cls   uint16 // kwFlags of a keyword, stopComma of a comma, clsEnd, clsOpen
	start int    // first byte
	end   int    // one past the last byte
}

// Token classes above the keyword classes of kwFlags (the low byte). With
// them, the parser's expression skipping tests one field per token and
// leaves its tight loop only on a token that may end or open something.
const (
	clsEnd     uint16 = 0x100 << iota // tEOF, tRParen, tSemi
	clsOpen                           // tLParen
	clsRead                           // a SELECT the parser read as a query (see parser.guard)
	clsStmtEnd                        // tSemi, tEOF: the statement splitter tests this bit alone
)

// Lexical errors, carried in the kw field of a tError token.
const (
	errUnterminatedString kw = iota + 1
	errUnterminatedQuoted
	errUnterminatedComment
	errUnterminatedVar
)

var lexErrText = [...]string{
	errUnterminatedString:  "unterminated string literal",
	errUnterminatedQuoted:  "unterminated backquoted identifier",
	errUnterminatedComment: "unterminated comment",
	errUnterminatedVar:     "unterminated ${ variable",
}

// Byte classes for the lexer's table-driven loops.
const (
	cSpace     = 1 << iota
	cWord      // may continue an identifier
	cWordStart // may start an identifier
	cDigit
	cUpper
	cHigh   // a byte of a non-ASCII character
	cDollar // '$', which may open a ${var} inside a word
	cUnder  // '_': no keyword has one, and most identifiers do
)

var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\r\n\f\v" {
		t[c] = cSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cWord | cWordStart
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cWord | cWordStart | cUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cWord | cDigit
	}
	t['_'] = cWord | cWordStart | cUnder
	t['$'] = cWord | cWordStart | cDollar
	for c := 0x80; c < 0x100; c++ {
		t[c] = cWord | cWordStart | cHigh
	}
	// The lead bytes that white space beyond ASCII shares with other characters neither start nor
	// continue a word by their class alone: the lexer's loops stop on them and ask sqlspace.Len.
	for _, c := range sqlspace.Leads {
		t[c] = cHigh
	}
	return t
}()

// highWordByte reports whether src[i], one of sqlspace.Leads, begins a character that is not white space
// and so continues or starts a word.
func highWordByte(src string, i int) bool {
	return byteClass[src[i]]&(cWord|cHigh) == cHigh && sqlspace.Len(src, i) == 0
}

// lex appends the tokens of src to toks, then one tEOF token at len(src),
// and returns it. Comments and hints are dropped. It never fails: an
// unterminated construct becomes a tError token that runs to the end of the
// script and is the last token before tEOF.
//
// The closing tEOF lets the statement splitter and the parser use a token
// as end marker instead of checking bounds at every step.
func lex(src string, toks []token) []token {
	toks = lexTokens(src, toks)
	return append(toks, token{kind: tEOF, cls: clsEnd | clsStmtEnd, start: len(src), end: len(src)})
}

func lexTokens(src string, toks []token) []token {
	n := len(src)
	// A byte order mark, which Windows editors put before a file's first
	// statement, is no token.
	i := len(src) - len(strings.TrimPrefix(src, "\ufeff"))
	for i < n {
		c := src[i]
		cl := byteClass[c]
		if cl&cSpace != 0 {
			// Whitespace comes in runs (a newline and indentation).
			i++
			for i < n && byteClass[src[i]]&cSpace != 0 {
				i++
			}
			continue
		}
		start := i
		switch {
		case cl&cWordStart != 0:
			// Most words have no '$': scan them here, folding in the
			// keyword hash, and leave ${var} handling to lexWord.
			var acc uint8
			var h uint32
			for i < n {
				b := src[i]
				bc := byteClass[b]
				if bc&(cWord|cDollar) != cWord {
					break
				}
				acc |= bc
				h = kwHashStep(h, b)
				i++
			}
			var k kw
			up := acc&cUpper != 0
			// The loop stops on a '$' and on the first byte of a character beyond ASCII that
			// may be white space; lexWord takes over a word that goes on past either.
			if i < n && (src[i] == '$' || byteClass[src[i]]&cHigh != 0) {
				var ok bool
				i, up, k, ok = lexWord(src, start)
				if !ok {
					toks = append(toks, token{kind: tError, kw: errUnterminatedVar, start: start, end: n})
					return toks
				}
			} else if l := i - start; l >= 2 && l <= 12 && acc&(cDigit|cHigh|cUnder) == 0 {
				// Keywords are 2 to 12 ASCII letters; one joined to a dot
				// is a name part (a.order, see joinedMask).
				k = lookupKeyword(src, start, i, h)
			}
			// Fill the new token in place: appending a struct literal
			// builds it on the stack with narrow stores and copies it with
			// wide loads, a store-forwarding stall on the commonest token.
			toks = append(toks, token{})
			t := &toks[len(toks)-1]
			t.kind, t.kw, t.upper, t.cls, t.start, t.end = tWord, k, up, uint16(kwFlags[k]), start, i
			continue
		case cl&cDigit != 0:
			var ok bool
			if toks, i, ok = lexDigitToken(src, start, toks); !ok {
				return toks
			}
			continue
		}
		switch c {
		case '-':
			if i+1 < n && src[i+1] == '-' {
				// Line comments are long and frequent in scheduled
				// scripts; IndexByte scans them many bytes at a time.
				j := strings.IndexByte(src[i+2:], '\n')
				if j < 0 {
					return toks
				}
				i += 2 + j
				continue
			}
			i++
		case '/':
			if i+1 < n && src[i+1] == '*' {
				j := indexCommentEnd(src, i+2)
				if j < 0 {
					toks = append(toks, token{kind: tError, kw: errUnterminatedComment, start: start, end: n})
					return toks
				}
				i = j
				continue
			}
			i++
		case '\'', '"':
			i++
			for {
				if i >= n {
					toks = append(toks, token{kind: tError, kw: errUnterminatedString, start: start, end: n})
					return toks
				}
				b := src[i]
				if b == '\\' {
					i += 2
					continue
				}
				i++
				if b == c {
					break
				}
			}
			toks = push(toks, tString, 0, start, i)
			continue
		case '`':
			i++
			for {
				if i >= n {
					toks = append(toks, token{kind: tError, kw: errUnterminatedQuoted, start: start, end: n})
					return toks
				}
				if src[i] == '`' {
					if i+1 < n && src[i+1] == '`' {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
			toks = push(toks, tQuoted, 0, start, i)
			continue
		case '@':
			i++
			i = atVarEnd(src, i)
			if i == start+1 {
				toks = push(toks, tOp, 0, start, i)
			} else {
				toks = push(toks, tAtVar, 0, start, i)
			}
			continue
		case '(':
			i++
			toks = push(toks, tLParen, clsOpen, start, i)
			continue
		case ')':
			i++
			toks = push(toks, tRParen, clsEnd, start, i)
			continue
		case ',':
			i++
			toks = push(toks, tComma, uint16(stopComma), start, i)
			continue
		case '.':
			i++
			toks = push(toks, tDot, 0, start, i)
			continue
		case ';':
			i++
			toks = push(toks, tSemi, clsEnd|clsStmtEnd, start, i)
			continue
		case ':':
			if i+1 < n && src[i+1] == '=' {
				i += 2
				toks = push(toks, tAssign, 0, start, i)
				continue
			}
			i++
		default:
			if cl&cHigh != 0 {
				// One of sqlspace.Leads: white space, or a character that starts a word.
				if k := sqlspace.Len(src, i); k > 0 {
					i += k
					continue
				}
				var ok bool
				if toks, i, ok = lexWordToken(src, start, toks); !ok {
					return toks
				}
				continue
			}
			i++
		}
		toks = push(toks, tOp, 0, start, i)
	}
	return toks
}

// atVarEnd returns the end of the name of an @variable that starts at i. Kept out of lexTokens, whose
// word loop would otherwise lose a register.
func atVarEnd(src string, i int) int {
	for i < len(src) && (byteClass[src[i]]&cWord != 0 || highWordByte(src, i)) {
		i++
	}
	return i
}

// lexWord scans an identifier starting at i, including embedded ${...}
// references. It returns the end offset, whether the word needs
// lower-casing (upper-case letters outside ${...}, whose text keeps its
// case), its keyword id, and false
// when a ${ is not closed. lexTokens scans words without '$' itself and
// calls this only for the others.
func lexWord(src string, i int) (int, bool, kw, bool) {
	n := len(src)
	start := i
	var acc uint8
	var h uint32
	dollar := false
	for i < n {
		b := src[i]
		cl := byteClass[b]
		if cl&cWord == 0 {
			if highWordByte(src, i) {
				acc |= cHigh
				i++
				continue
			}
			break
		}
		if b == '$' && i+1 < n && src[i+1] == '{' {
			j := strings.IndexByte(src[i+2:], '}')
			if j < 0 {
				return n, true, kwNone, false
			}
			i += 2 + j + 1
			dollar = true
			continue
		}
		acc |= cl
		h = kwHashStep(h, b)
		i++
	}
	up := acc&cUpper != 0 // acc leaves out the bytes of ${...}
	// Keywords are 2 to 12 ASCII letters; lookupKeyword rejects '_' and '$'.
	if l := i - start; dollar || l < 2 || l > 12 || acc&(cDigit|cHigh|cUnder) != 0 {
		return i, up, kwNone, true
	}
	return i, up, lookupKeyword(src, start, i, h), true
}

// joinedMask returns 0 when the word src[start:end] is joined to a dot (a
// '.' just before or after it), else all ones: a word joined to a dot is a
// name part, whatever keyword it spells (a.order, t.from, order.id; "a .
// order" is rare). It is a mask, not a branch: words next to a dot come and
// go too irregularly to predict. The indexes are clamped instead of tested
// (at the script's edges they land on the word itself, never a '.').
// lookupKeyword applies it to the words that spell a keyword only, where it
// costs a few instructions and no register of the lexer's loops.
func joinedMask(src string, start, end int) kw {
	var before, after kw
	if src[max(start, 1)-1] == '.' {
		before = 1
	}
	if src[min(end, len(src)-1)] == '.' {
		after = 1
	}
	return (before | after) - 1
}

// lexDigitToken appends the token that begins with the digit at
// src[start]: a number, or a name that begins with a digit (1902_lp_ods,
// 1col), which Hive and MaxCompute accept; no keyword begins with a digit.
// It returns the tokens, the end, and false after appending a tError for an
// unterminated ${. Kept out of lexTokens, whose word loop would otherwise
// lose a register.
func lexDigitToken(src string, start int, toks []token) ([]token, int, bool) {
	end, num := lexDigits(src, start)
	if num {
		return push(toks, tNumber, 0, start, end), end, true
	}
	return lexWordToken(src, start, toks)
}

// lexWordToken appends the word that starts at src[start], scanned by lexWord: a name that begins with
// digits, or with a character beyond ASCII whose first byte white space shares. It returns the tokens,
// the end, and false after appending a tError for an unterminated ${.
func lexWordToken(src string, start int, toks []token) ([]token, int, bool) {
	end, up, k, ok := lexWord(src, start)
	if !ok {
		return append(toks, token{kind: tError, kw: errUnterminatedVar, start: start, end: len(src)}), end, false
	}
	toks = append(toks, token{})
	t := &toks[len(toks)-1]
	t.kind, t.kw, t.upper, t.cls, t.start, t.end = tWord, k, up, uint16(kwFlags[k]), start, end
	return toks, end, true
}

// lexDigits scans a token that begins with the digit at src[start] and
// reports whether it is a number: 10, 0.5, 1., 1e3, 1.5e-3, 10L, 1Y, 2BD,
// 1.5D, 0x1F. Otherwise it is a name such as 1902_lp_ods or 1col (the
// caller scans it as a word): digits followed by word bytes that are not an
// exponent or a type suffix, as in Hive's and Spark's lexers.
func lexDigits(src string, start int) (int, bool) {
	n := len(src)
	i := start
	for i < n && byteClass[src[i]]&cDigit != 0 {
		i++
	}
	if i < n && src[i] == '.' {
		switch {
		case i+1 < n && byteClass[src[i+1]]&cDigit != 0:
			// 0.5, 1.5e-3, 1.5BD
			i += 2
			for i < n && byteClass[src[i]]&cDigit != 0 {
				i++
			}
			return numberTail(src, i), true
		case i+1 == n || byteClass[src[i+1]]&cWord == 0 && !highWordByte(src, i+1):
			// "1." is a decimal in Hive and Spark.
			return i + 1, true
		}
		// 1902.t: the number, then a dot.
		return i, true
	}
	// The digits' run of word bytes ('$' excluded: ${var} makes a name).
	j := i
	for j < n && (byteClass[src[j]]&(cWord|cDollar) == cWord || highWordByte(src, j)) {
		j++
	}
	if j == i {
		return i, j == n || src[j] != '$'
	}
	if j < n && src[j] == '$' {
		return j, false
	}
	if tail := src[i:j]; isNumberSuffix(tail) {
		return j, true
	} else if (tail[0]|0x20) == 'x' && i == start+1 && src[start] == '0' && j > i+1 && isHex(tail[1:]) {
		return j, true
	} else if j == i+1 && tail[0]|0x20 == 'e' && j+1 < n && (src[j] == '+' || src[j] == '-') && byteClass[src[j+1]]&cDigit != 0 {
		// 1e-3: the exponent's sign is not a word byte.
		return numberTail(src, i), true
	}
	return j, false
}

// numberTail returns the end of a number's optional exponent and type
// suffix starting at i (e3, E-3, D, BD, ...).
func numberTail(src string, i int) int {
	n := len(src)
	if i < n && src[i]|0x20 == 'e' {
		j := i + 1
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < n && byteClass[src[j]]&cDigit != 0 {
			i = j
			for i < n && byteClass[src[i]]&cDigit != 0 {
				i++
			}
		}
	}
	for i < n && (byteClass[src[i]]&(cWord|cDollar) == cWord || highWordByte(src, i)) {
		i++
	}
	return i
}

// isNumberSuffix reports whether s, the word bytes after a number's
// digits, is an exponent (e3) and/or a type suffix: L, S, Y, BD, D, F.
func isNumberSuffix(s string) bool {
	if s[0]|0x20 == 'e' {
		k := 1
		for k < len(s) && byteClass[s[k]]&cDigit != 0 {
			k++
		}
		if k == 1 {
			return false // 1e alone is a name
		}
		s = s[k:]
	}
	switch len(s) {
	case 0:
		return true
	case 1:
		switch s[0] | 0x20 {
		case 'l', 's', 'y', 'd', 'f':
			return true
		}
	case 2:
		return s[0]|0x20 == 'b' && s[1]|0x20 == 'd'
	}
	return false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// push appends a token without a keyword id, filled in place for the same
// reason as words in lexTokens.
func push(toks []token, kind tokKind, cls uint16, start, end int) []token {
	toks = append(toks, token{})
	t := &toks[len(toks)-1]
	t.kind, t.cls, t.start, t.end = kind, cls, start, end
	return toks
}

// indexCommentEnd returns the offset just past the "*/" that closes a block
// comment whose body starts at i, or -1.
func indexCommentEnd(src string, i int) int {
	j := strings.Index(src[i:], "*/")
	if j < 0 {
		return -1
	}
	return i + j + 2
}
