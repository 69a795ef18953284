package rpc

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// xmlName is what the fuzz target takes as a JSON key: the answers' keys are Go field names.
var xmlName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// FuzzJSONToXML renders arbitrary JSON objects (with keys that are XML names, as every answer's are) as
// the RPC gateway's XML and reads the XML back: it must be one well-formed document rooted at the given
// name whose leaves are the JSON's scalars, in order and with the same text (characters XML cannot carry
// become U+FFFD, as encoding/xml writes them).
func FuzzJSONToXML(f *testing.F) {
	f.Add(`{"RequestId":"a","Data":{"Files":[{"FileId":1,"Name":"x<&>\"y"},{"FileId":2}],"Empty":[],"Null":null,"Ok":true}}`)
	f.Add(`{"A":[[1,2],[]],"B":{},"C":"\u0000\r\n\t \ud800"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		data := []byte(in)
		if !json.Valid(data) || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			return
		}
		want, ok := jsonLeaves(data)
		if !ok {
			return // a key that is no XML name
		}
		out, err := jsonToXML("Root", data)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got := xmlLeaves(t, out)
		if len(got) != len(want) {
			t.Fatalf("%s:\n%s\nleaves %q, want %q", in, out, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s:\n%s\nleaf %d is %q, want %q", in, out, i, got[i], want[i])
			}
		}
	})
}

// jsonLeaves lists the text of every scalar and of every object that renders no child element, in order;
// ok is false when a key is not an XML name.
func jsonLeaves(data []byte) (leaves []string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	ok = true
	// walk reads one value and returns how many elements it renders as: an array renders as its items.
	var walk func() int
	walk = func() int {
		tok, err := dec.Token()
		if err != nil {
			ok = false
			return 0
		}
		switch v := tok.(type) {
		case json.Delim:
			n := 0
			for dec.More() && ok {
				if v == '{' {
					key, _ := dec.Token()
					if k, _ := key.(string); !xmlName.MatchString(k) {
						ok = false
					}
				}
				n += walk()
			}
			if _, err := dec.Token(); err != nil { // the closing delimiter
				ok = false
			}
			if v == '[' {
				return n
			}
			if n == 0 {
				leaves = append(leaves, "")
			}
		case string:
			leaves = append(leaves, xmlText(v))
		case json.Number:
			leaves = append(leaves, v.String())
		case bool:
			leaves = append(leaves, map[bool]string{true: "true", false: "false"}[v])
		case nil:
			leaves = append(leaves, "")
		}
		return 1
	}
	walk()
	return leaves, ok
}

// xmlText is s as encoding/xml writes and reads it back: characters XML cannot carry become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 || !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		s = s[n:]
	}
	return b.String()
}

// xmlLeaves reads a whole document strictly and lists the text of every element without child elements.
func xmlLeaves(t *testing.T, doc []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var leaves []string
	var text strings.Builder
	hasChild := []bool{}
	roots := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML (%v):\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(hasChild) == 0 {
				if roots++; roots > 1 || tk.Name.Local != "Root" {
					t.Fatalf("root element %q (%d):\n%s", tk.Name.Local, roots, doc)
				}
			} else {
				hasChild[len(hasChild)-1] = true
			}
			hasChild = append(hasChild, false)
			text.Reset()
		case xml.EndElement:
			if !hasChild[len(hasChild)-1] {
				leaves = append(leaves, text.String())
			}
			hasChild = hasChild[:len(hasChild)-1]
			text.Reset()
		case xml.CharData:
			text.Write(tk)
		}
	}
	return leaves
}
