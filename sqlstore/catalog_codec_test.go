package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sluice-dev/sluice"
)

// The list columns' fast decoders must read exactly what encoding/json reads, or hand the text to it.

func jsonColumns(t testing.TB, s string) ([]sluice.Column, bool) {
	var rs []columnRecord
	if err := json.Unmarshal([]byte(s), &rs); err != nil {
		return nil, false
	}
	return convertAll(rs, func(r columnRecord) sluice.Column { return sluice.Column(r) }), true
}

func TestListCodec(t *testing.T) {
	for _, cs := range [][]sluice.Column{
		nil,
		{{Name: "id", Type: "bigint"}},
		{{Name: "phone", Type: "string", Comment: "客户电话", Label: 3}, {Name: "amount", Type: "decimal(10,2)", Label: -1}},
		{{Name: "t", Type: "array<struct<a:int,b:string>>", Comment: `say "hi" <b> & \ back` + "\n\tnew line\u2028"}},
		{{Name: "e\u0301", Type: "string", Comment: "\x00\x1f", Label: 9}},
	} {
		s := marshalColumns(cs)
		got, err := unmarshalColumns(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		want := cs
		if want == nil {
			want = []sluice.Column{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", s, got, want)
		}
	}
	for _, v := range [][]string{nil, {"describe", "select"}, {`a"b`, `c\d`, "<&>"}, {""}} {
		s := marshalList(v)
		got, err := unmarshalStrings(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if len(v) == 0 && (got == nil || len(got) != 0) || len(v) > 0 && !reflect.DeepEqual(got, v) {
			t.Errorf("%s: got %#v", s, got)
		}
	}
	// Text the scanner does not read goes to encoding/json: white space, other keys, escapes.
	for _, s := range []string{` [ {"name" : "a", "type":"b"} ] `, `[{"name":"a","type":"b","extra":1}]`, `[{"name":"\u0041","label":1}]`} {
		if _, ok := scanColumns(s); ok {
			t.Errorf("scanned %s", s)
		}
		got, err := unmarshalColumns(s)
		want, _ := jsonColumns(t, s)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, %v; want %#v", s, got, err, want)
		}
	}
}

// FuzzColumns checks that whatever the scanner accepts, encoding/json reads the same.
func FuzzColumns(f *testing.F) {
	for _, s := range []string{`[]`, `[{"name":"a","type":"b"}]`, `[{"name":"a","type":"b","comment":"c","label":-12}]`,
		`[{"label":3,"name":"x"},{"type":"y"}]`, `["a","b"]`, `[{"name":"a"}]x`, "[{\"name\":\"\xeb\"}]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := scanColumns(s); ok {
			want, ok := jsonColumns(t, s)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: scanned %#v, encoding/json %#v (ok %v)", s, got, want, ok)
			}
		}
		if got, err := unmarshalStrings(s); err == nil {
			var want []string
			if json.Unmarshal([]byte(s), &want) != nil || len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: scanned %#v, encoding/json %#v", s, got, want)
			}
		}
	})
}
