// Package sqlspace says which characters beyond ASCII separate the tokens of a SQL script, for the
// lexers of the lineage parser and the MaxCompute DDL parser alike.
//
// Scripts copied from web pages, chat and word processors carry no-break spaces and ideographic
// (full-width) spaces between words, and scripts joined from several files a byte order mark between
// statements. A reader of the script sees each as a space, so the lexers treat each as one: "select\u00a0a"
// is two words, never the one identifier its bytes would otherwise make.
package sqlspace

import (
	"unicode"
	"unicode/utf8"
)

// Leads are the first bytes of the UTF-8 encodings of the characters Len knows: U+0085 and U+00A0
// (0xc2), U+1680 (0xe1), U+2000–U+200A, U+2028, U+2029, U+202F and U+205F (0xe2), U+3000 (0xe3) and
// U+FEFF (0xef). A lexer whose word loops run on a byte table stops on these bytes and asks Len; every
// other non-ASCII byte belongs to a word.
var Leads = [...]byte{0xc2, 0xe1, 0xe2, 0xe3, 0xef}

// Len returns the length in bytes of the white space character beyond ASCII that starts at src[i], or 0
// if the character there is not one.
func Len(src string, i int) int {
	if src[i] < utf8.RuneSelf {
		return 0
	}
	r, size := utf8.DecodeRuneInString(src[i:])
	if r == '\ufeff' || unicode.IsSpace(r) {
		return size
	}
	return 0
}
