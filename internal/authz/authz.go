// Package authz checks every operation of every face against the access docs/authorization.md says it
// needs (e2e/authz_*_test.go, console/authz_test.go). The page's table is the one statement of those needs:
// Load reads it, and Run sends each operation as each project role and as an outsider, and checks that a
// call is allowed exactly when the role meets the need, that a refusal is the face's forbidden answer and
// changes nothing, and that an outsider's refusal is the same, byte for byte but for request ids, whether
// or not the project or object it names exists, and names none of them.
package authz

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/internal/badinput"
)

// Need is the access an operation needs, as the page's table writes it.
type Need string

// The needs. Read, Write, Manage and Own are the core's accesses (core.Service.Authorize): the viewer,
// developer, admin and owner roles of the project the operation names.
const (
	AnyUser       Need = "any user"        // every signed-in user; not about one project
	AccountAdmin  Need = "account admin"   // the root user and account admins only
	Read          Need = "read"            // viewer and above
	ReadOrPackage Need = "read or package" // viewer and above, or a member of a project that installed a package sharing the object
	Write         Need = "write"           // developer and above
	Manage        Need = "manage"          // admin and above
	Own           Need = "own"             // owner
)

var needs = []Need{AnyUser, AccountAdmin, Read, ReadOrPackage, Write, Manage, Own}

// Role is who calls an operation on the target project in the matrix.
type Role string

// The roles, in the order Run tries them: least access first, so that an operation that consumes its
// object (a delete) is refused by every role that may not call it before the first that may.
const (
	NonMember Role = "non-member" // a user of the account who is a member of another project only
	Consumer  Role = "consumer"   // a member of a project that installed a package of the target project
	Viewer    Role = "viewer"
	Developer Role = "developer"
	Admin     Role = "admin"
	Owner     Role = "owner"
)

// Roles are the roles Run tries, in its order.
var Roles = []Role{NonMember, Consumer, Viewer, Developer, Admin, Owner}

func rank(r Role) int {
	return map[Role]int{Viewer: 1, Developer: 2, Admin: 3, Owner: 4}[r]
}

// Allows reports whether n lets r call the operation. No role of the matrix is an account admin.
func (n Need) Allows(r Role) bool {
	switch n {
	case AnyUser:
		return true
	case AccountAdmin:
		return false
	case ReadOrPackage:
		return r == Consumer || rank(r) >= 1
	}
	return rank(r) >= map[Need]int{Read: 1, Write: 2, Manage: 3, Own: 4}[n]
}

// Table is the page's table: the need of each operation, by face and operation.
type Table map[string]map[string]Need

// Load reads the table of the Markdown page at path: the rows of its table whose header is
// "| face | operation | needs |", code spans unwrapped.
func Load(path string) (Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t := Table{}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if len(cells) == 3 && cells[0] == "face" && cells[1] == "operation" && cells[2] == "needs" {
			in = true
			continue
		}
		if !in || strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != 3 {
			return nil, fmt.Errorf("%s:%d: want 3 cells, got %d", path, n, len(cells))
		}
		need := Need(cells[2])
		if !slices.Contains(needs, need) {
			return nil, fmt.Errorf("%s:%d: unknown need %q", path, n, need)
		}
		if t[cells[0]] == nil {
			t[cells[0]] = map[string]Need{}
		}
		if _, dup := t[cells[0]][cells[1]]; dup {
			return nil, fmt.Errorf("%s:%d: %s %s is listed twice", path, n, cells[0], cells[1])
		}
		t[cells[0]][cells[1]] = need
	}
	return t, sc.Err()
}

// Values are the parameter values of a request, by name; a face builds each operation's request from them.
type Values map[string]string

// Fixture is the target project as a face names it: Real names what exists, GhostProject the same objects
// in a project that does not exist, GhostObjects objects that do not exist in the real project.
type Fixture struct {
	Real, GhostProject, GhostObjects Values
	// Secrets are the names of the target project and its objects (not ids, which are mere numbers): no
	// answer refusing an outsider may hold one.
	Secrets []string
}

// Face is one API as Run drives it.
type Face struct {
	Name            string // as the table's face column writes it
	ForbiddenStatus int
	ForbiddenCode   string
	Envelope        badinput.Envelope
	// Digest hashes the database (nil: not checked); a refused call must leave it as it was.
	Digest func() string
	// Send calls operation op as role with the values v and returns the status and body of the answer.
	Send func(op string, role Role, v Values) (int, []byte)
}

// Run checks every operation of ops (the face's operations, in the order they are to be called: those that
// destroy their object last) against the table, which must list exactly these operations for the face. It
// returns the number of requests sent.
func Run(t *testing.T, table Table, f Face, ops []string, fx Fixture) int {
	t.Helper()
	rows := table[f.Name]
	for _, op := range ops {
		if _, ok := rows[op]; !ok {
			t.Errorf("%s %s is served but docs/authorization.md does not say what it needs", f.Name, op)
		}
	}
	for op := range rows {
		if !slices.Contains(ops, op) {
			t.Errorf("docs/authorization.md lists %s %s, which is not served", f.Name, op)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	var digest string
	if f.Digest != nil {
		digest = f.Digest()
	}
	sent := 0
	for _, op := range ops {
		need := rows[op]
		first := true
		for _, role := range Roles {
			status, body := f.Send(op, role, fx.Real)
			sent++
			what := fmt.Sprintf("%s %s (needs %s) as %s", f.Name, op, need, role)
			code, _ := f.Envelope(body)
			forbidden := status == f.ForbiddenStatus && code == f.ForbiddenCode
			switch {
			case status >= 500:
				t.Errorf("%s: %d %.300s", what, status, body)
			case need.Allows(role) && (forbidden || code == f.ForbiddenCode):
				t.Errorf("%s: refused: %d %.300s", what, status, body)
			case need.Allows(role):
				if first && status >= 300 {
					// The first role allowed proves the request is one that succeeds; later ones may find
					// its object gone or taken, which still shows they passed authorization.
					t.Errorf("%s: the first role allowed fails: %d %.300s", what, status, body)
				}
				first = false
				if f.Digest != nil {
					digest = f.Digest()
				}
			case !forbidden:
				t.Errorf("%s: want %d %s, got %d %.300s", what, f.ForbiddenStatus, f.ForbiddenCode, status, body)
			default:
				if f.Digest != nil && f.Digest() != digest {
					t.Errorf("%s: refused, but the database changed", what)
					digest = f.Digest()
				}
				if role == NonMember || role == Consumer {
					sent += revealsNothing(t, f, op, role, what, status, body, fx)
				}
			}
		}
	}
	return sent
}

// revealsNothing checks an outsider's refusal: it names no secret, and a project or objects that do not
// exist get the same answer.
func revealsNothing(t *testing.T, f Face, op string, role Role, what string, status int, body []byte, fx Fixture) int {
	t.Helper()
	want := normal(body)
	for _, s := range fx.Secrets {
		if strings.Contains(strings.ToLower(want), strings.ToLower(s)) {
			t.Errorf("%s: the refusal names %q: %s", what, s, want)
		}
	}
	for _, ghost := range []struct {
		name string
		v    Values
	}{{"a project that does not exist", fx.GhostProject}, {"objects that do not exist", fx.GhostObjects}} {
		gs, gb := f.Send(op, role, ghost.v)
		if got := normal(gb); gs != status || got != want {
			t.Errorf("%s: the refusal differs for %s:\n  real:  %d %s\n  ghost: %d %s", what, ghost.name, status, want, gs, got)
		}
	}
	return 2
}

// normal is an answer's body without its request ids, which differ from call to call.
func normal(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return string(body)
	}
	if m, ok := v.(map[string]any); ok {
		for k := range m {
			if strings.ReplaceAll(strings.ToLower(k), "_", "") == "requestid" {
				delete(m, k)
			}
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// For returns the values of a request of operation op, by parameter name: v[op+"."+name] when set (a value
// one operation needs apart, such as a fresh name to create or a spare object to delete), else v[name].
func (v Values) For(op string) map[string]string {
	out := map[string]string{}
	for k, s := range v {
		if name, ok := strings.CutPrefix(k, op+"."); ok {
			out[name] = s
		} else if _, set := out[k]; !set {
			out[k] = s
		}
	}
	return out
}

// Request is the request of operation op, whose path is pattern, made of v's values for op (For): the path
// values pattern names, the query parameters of query that have a value, and body, when not empty, with each
// ${name} replaced by its value.
func (v Values) Request(op, pattern string, query []string, body string) badinput.Request {
	vals := v.For(op)
	r := badinput.Request{Path: map[string]string{}, Query: map[string]string{}}
	for name, s := range vals {
		if strings.Contains(pattern, "{"+name+"}") {
			r.Path[name] = s
		}
	}
	for _, name := range query {
		if s := vals[name]; s != "" {
			r.Query[name] = s
		}
	}
	if body != "" {
		r.Body = []byte(os.Expand(body, func(name string) string { return vals[name] }))
	}
	return r
}

// Ghost returns a copy of v in which the parameters of params (by name, also under an operation's prefix)
// take their values from params, and every other value has each key of names replaced by its value.
func (v Values) Ghost(names, params map[string]string) Values {
	out := Values{}
	for k, s := range v {
		name := k[strings.LastIndex(k, ".")+1:]
		if g, ok := params[name]; ok {
			out[k] = g
			continue
		}
		for from, to := range names {
			s = strings.ReplaceAll(s, from, to)
		}
		out[k] = s
	}
	return out
}

// Last returns ops in their order but with those of last moved to the end, in last's order: operations
// that destroy what others need.
func Last(ops []string, last ...string) []string {
	out := slices.DeleteFunc(slices.Clone(ops), func(op string) bool { return slices.Contains(last, op) })
	for _, op := range last {
		if slices.Contains(ops, op) {
			out = append(out, op)
		}
	}
	return out
}
