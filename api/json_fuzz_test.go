package api

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sluice-dev/sluice"
)

// fuzzBody is a request body shape with the kinds of field the faces decode.
type fuzzBody struct {
	Name   string            `json:"name"`
	N      int64             `json:"n"`
	F      float64           `json:"f"`
	B      *bool             `json:"b"`
	List   []string          `json:"list"`
	Map    map[string]string `json:"map"`
	Nested *struct {
		X int `json:"x"`
	} `json:"nested"`
	Any any `json:"any"`
}

// FuzzDecode feeds arbitrary bodies to the two request-body decoders every face uses. Each either accepts
// or refuses with EINVALID (never another code, never a panic); what either accepts is exactly one
// well-formed JSON value (an object, for DecodeJSONObject) and nothing after it, and decodes the same
// after being encoded again; DecodeStrict accepts nothing DecodeJSONObject refuses.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"a","n":1,"f":1.5,"b":true,"list":["x"],"map":{"k":"v"},"nested":{"x":2},"any":[1,{}]}`,
		`{}`, ` {"name":"a"} `, `{"name":"a"}x`, `{"name":"a"}}`, `{"name":"a"} {}`, `{"unknown":1}`, `{"n":"1"}`,
		`{"n":1e400}`, `[]`, `null`, ``, `{"name":"\ud800"}`, "{\"name\":\"a\"}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var lax, strict fuzzBody
		errLax := DecodeJSONObject(body, &lax)
		errStrict := DecodeStrict(body, &strict)
		for _, err := range []error{errLax, errStrict} {
			if err != nil && sluice.ErrorCode(err) != sluice.EINVALID {
				t.Fatalf("%q: refused with %v, not EINVALID", body, err)
			}
		}
		if errStrict == nil && errLax != nil {
			t.Fatalf("%q: DecodeStrict accepts what DecodeJSONObject refuses (%v)", body, errLax)
		}
		for _, c := range []struct {
			name string
			err  error
			v    fuzzBody
		}{{"DecodeJSONObject", errLax, lax}, {"DecodeStrict", errStrict, strict}} {
			if c.err != nil {
				continue
			}
			if !json.Valid(body) {
				t.Fatalf("%s accepted %q, which is not one well-formed JSON value", c.name, body)
			}
			again, err := json.Marshal(c.v)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var back fuzzBody
			if err := DecodeStrict(again, &back); err != nil || !reflect.DeepEqual(back, c.v) {
				t.Fatalf("%s: %q decoded to %+v, which encodes to %s and decodes back to %+v (%v)", c.name, body, c.v, again, back, err)
			}
		}
	})
}
