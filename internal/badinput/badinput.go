// Package badinput generates hostile and malformed requests for the tests that prove every API answers bad
// input with its own error envelope, never a 5xx, and changes nothing when it refuses (e2e/badinput_*,
// console/badinput_test.go). A test describes an operation — its path, query and header parameters and a
// valid JSON body — and a way to send a request; Run sends every case and checks every answer.
package badinput

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Values are the bad values every parameter gets, by label; nil means the parameter is left out. kind is
// "integer", "float", "boolean" or "string" and chooses the wrong-type value.
func Values(kind string) map[string]*string {
	s := func(v string) *string { return &v }
	vals := map[string]*string{
		"missing":        nil,
		"empty":          s(""),
		"huge (1 MB)":    s(strings.Repeat("a", 1<<20)),
		"negative":       s("-1"),
		"overflow":       s("99999999999999999999999999"),
		"unicode":        s("名字\u202e\u200b😀"),
		"control":        s("a\x00b\x01\t\r\n"),
		"sql injection":  s("1' OR '1'='1'; DROP TABLE files; --"),
		"path traversal": s("../../../../etc/passwd"),
	}
	switch kind {
	case "integer", "float":
		vals["wrong type"] = s("twelve")
	case "boolean":
		vals["wrong type"] = s("maybe")
	default:
		vals["wrong type"] = s(`{"a": [1, 2]}`)
	}
	return vals
}

// Request is one request of an operation: its path values, query, headers and body.
type Request struct {
	Path   map[string]string
	Query  map[string]string
	Header map[string]string
	Body   []byte // nil: none
}

// URL is base followed by pattern with r's path values put in ({name} and {name...}) and r's query.
func (r Request) URL(base, pattern string) string {
	for k, v := range r.Path {
		pattern = strings.Replace(pattern, "{"+k+"...}", url.PathEscape(v), 1)
		pattern = strings.Replace(pattern, "{"+k+"}", url.PathEscape(v), 1)
	}
	q := url.Values{}
	for k, v := range r.Query {
		q.Set(k, v)
	}
	return base + pattern + "?" + q.Encode()
}

func (r Request) clone() Request {
	return Request{Path: maps.Clone(r.Path), Query: maps.Clone(r.Query), Header: maps.Clone(r.Header), Body: r.Body}
}

// Operation is what a test knows of one operation.
type Operation struct {
	Base  Request  // a valid request
	Query []string // the query parameters it may take (every one gets every bad value)
	// FormQuery says the query travels in a form body (RPC's POST), where a 1 MB value fits.
	FormQuery bool
	Header    []string // the header parameters it may take
	Kinds     map[string]string
	// JSONBody, when the operation takes a JSON object, is mutated member by member and leaf by leaf.
	JSONBody string
}

// Case is one bad request and what it tests.
type Case struct {
	What string
	Request
}

// Cases returns every bad request of op: each path value (but values no URL path segment can hold), query
// parameter and header (but values HTTP cannot carry) with each of Values, and each member or leaf of the
// JSON body with each of Values and values of other JSON types, plus bodies that are not the object.
func (op Operation) Cases() []Case {
	var out []Case
	for name := range op.Base.Path {
		for label, v := range Values(op.Kinds[name]) {
			if v == nil || *v == "" || strings.ContainsAny(*v, "/\x00") || len(*v) > 1<<16 {
				continue // a path segment cannot be missing, empty, hold '/' or NUL, or exceed a URL's size
			}
			r := op.Base.clone()
			r.Path[name] = *v
			out = append(out, Case{fmt.Sprintf("path %s=%s", name, label), r})
		}
	}
	for _, name := range op.Query {
		for label, v := range Values(op.Kinds[name]) {
			if v != nil && len(*v) > 1<<16 && !op.FormQuery {
				continue // a 1 MB query string exceeds what the HTTP server reads of a request's head
			}
			r := op.Base.clone()
			if r.Query == nil {
				r.Query = map[string]string{}
			}
			if v == nil {
				delete(r.Query, name)
			} else {
				r.Query[name] = *v
			}
			out = append(out, Case{fmt.Sprintf("query %s=%s", name, label), r})
		}
	}
	for _, name := range op.Header {
		for label, v := range Values(op.Kinds[name]) {
			if v == nil || strings.ContainsAny(*v, "\x00\x01\r\n") || len(*v) > 1<<16 {
				continue // not a header value HTTP can carry
			}
			r := op.Base.clone()
			if r.Header == nil {
				r.Header = map[string]string{}
			}
			r.Header[name] = *v
			out = append(out, Case{fmt.Sprintf("header %s=%s", name, label), r})
		}
	}
	if op.JSONBody == "" {
		return out
	}
	var sample any
	if err := json.Unmarshal([]byte(op.JSONBody), &sample); err != nil {
		panic("badinput: the valid body is not JSON: " + err.Error())
	}
	for _, p := range jsonPaths(sample, nil) {
		values := map[string]any{"missing": missing{}, "null": nil, "number": -1, "huge number": 1e300,
			"object": map[string]any{"a": 1}, "array of numbers": []any{1, 2}, "boolean": true}
		for label, v := range Values("string") {
			if v != nil {
				values[label] = *v
			}
		}
		for label, v := range values {
			var body any
			_ = json.Unmarshal([]byte(op.JSONBody), &body)
			setPath(body, p, v)
			r := op.Base.clone()
			r.Body, _ = json.Marshal(body)
			out = append(out, Case{fmt.Sprintf("body %v=%s", p, label), r})
		}
	}
	for label, raw := range map[string]string{"not JSON": `{"name": `, "array": "[1,2]", "string": `"x"`, "empty": "", "unknown member": `{"nope": 1}`} {
		r := op.Base.clone()
		r.Body = []byte(raw)
		out = append(out, Case{"body " + label, r})
	}
	return out
}

type missing struct{}

// jsonPaths returns the paths of every member and array element of v (arrays: their first element).
func jsonPaths(v any, prefix []any) [][]any {
	var out [][]any
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := append(slices.Clone(prefix), k)
			out = append(out, p)
			out = append(out, jsonPaths(c, p)...)
		}
	case []any:
		if len(x) > 0 {
			p := append(slices.Clone(prefix), 0)
			out = append(out, p)
			out = append(out, jsonPaths(x[0], p)...)
		}
	}
	return out
}

// setPath sets (or, for missing, deletes) the value at path in v.
func setPath(v any, path []any, val any) {
	for i, step := range path {
		last := i == len(path)-1
		switch k := step.(type) {
		case string:
			m := v.(map[string]any)
			if last {
				if _, ok := val.(missing); ok {
					delete(m, k)
				} else {
					m[k] = val
				}
				return
			}
			v = m[k]
		case int:
			a := v.([]any)
			if last {
				if _, ok := val.(missing); ok {
					a[k] = nil
				} else {
					a[k] = val
				}
				return
			}
			v = a[k]
		}
	}
}

// Envelope reports whether an error answer's body is the face's error envelope, and its code.
type Envelope func(body []byte) (code string, ok bool)

// JSONEnvelope is an Envelope for a JSON error object whose code, message and request id members are named
// by the arguments ("" for a member the face does not send); each must be a non-empty string.
func JSONEnvelope(code, message, requestID string) Envelope {
	return func(body []byte) (string, bool) {
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			return "", false
		}
		for _, name := range []string{code, message, requestID} {
			if s, _ := m[name].(string); name != "" && s == "" {
				return "", false
			}
		}
		c, _ := m[code].(string)
		return c, true
	}
}

// Run sends every case of op through send and checks every answer: never a 5xx; an error has env's
// envelope; and after a refusal, digest (nil: not checked) is what it was after the last success. It returns
// the number of requests.
func Run(t *testing.T, name string, op Operation, send func(Request) (status int, body []byte), env Envelope, digest func() string) int {
	t.Helper()
	var before string
	if digest != nil {
		before = digest()
	}
	cases := op.Cases()
	for _, c := range cases {
		status, body := send(c.Request)
		what := name + " " + c.What
		switch {
		case status >= 500:
			t.Fatalf("%s: %d %.300s", what, status, body)
		case status < 400:
			if digest != nil {
				before = digest() // a value the operation accepts may change things
			}
		default:
			code, ok := env(body)
			if !ok {
				t.Fatalf("%s: %d without the error envelope: %.300s", what, status, body)
			}
			if digest != nil && digest() != before {
				t.Fatalf("%s: refused with %s, but the database changed", what, code)
			}
		}
	}
	return len(cases)
}

// Digest returns a function hashing every row of every table of the SQLite database at path (read-only),
// but for tables whose name contains one of skip (bookkeeping that changes on its own).
func Digest(t testing.TB, path string, skip ...string) func() string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func() string {
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(skip, func(s string) bool { return strings.Contains(n, s) }) {
				tables = append(tables, n)
			}
		}
		rows.Close()
		h := sha256.New()
		for _, table := range tables {
			rows, err := db.Query(`SELECT * FROM "` + table + `"`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			var lines []string
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				lines = append(lines, fmt.Sprint(vals...))
			}
			rows.Close()
			slices.Sort(lines)
			fmt.Fprintln(h, table, strings.Join(lines, "\n"))
		}
		return hex.EncodeToString(h.Sum(nil))
	}
}
