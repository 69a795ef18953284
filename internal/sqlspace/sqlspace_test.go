package sqlspace

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestLeads checks that Leads holds the first byte of every character Len accepts, and Len accepts
// exactly the white space beyond ASCII and the byte order mark.
func TestLeads(t *testing.T) {
	lead := map[byte]bool{}
	for _, b := range Leads {
		lead[b] = true
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r) + "x"
		want := 0
		if r >= utf8.RuneSelf && (unicode.IsSpace(r) || r == '\ufeff') {
			want = utf8.RuneLen(r)
		}
		if got := Len(s, 0); got != want {
			t.Fatalf("Len(%U) = %d, want %d", r, got, want)
		}
		if want > 0 && !lead[s[0]] {
			t.Errorf("%U starts with %#x, which Leads lacks", r, s[0])
		}
	}
	for _, s := range []string{"\xc2", "\xe3\x80", "\xff", "a\u3000"} {
		if Len(s, 0) != 0 {
			t.Errorf("Len(%q) is not 0", s)
		}
	}
}
