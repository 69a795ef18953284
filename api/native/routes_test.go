package native

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

// TestRoutesAreServed: every operation Routes lists is the pattern New's mux picks for a request to it,
// so the list is what is registered; and the operations of the optional services are in it.
func TestRoutesAreServed(t *testing.T) {
	s := &server{}
	var rec recorder
	s.register(&rec, nil) // no optional service: fewer routes
	mux := http.NewServeMux()
	full := Routes()
	// Register the full set the way New does, with the shells Routes uses.
	(&server{Services: fullShells()}).register(mux, nil)
	param := regexp.MustCompile(`\{[^}]+\}`)
	for _, op := range full {
		method, path := splitPattern(op)
		r := httptest.NewRequest(method, param.ReplaceAllString(path, "x"), nil)
		if _, pattern := mux.Handler(r); pattern != op {
			t.Errorf("%s: the mux picks %q", op, pattern)
		}
	}
	if len(operations(rec.patterns)) >= len(full) {
		t.Errorf("without optional services %d routes, with all %d", len(operations(rec.patterns)), len(full))
	}
	for _, want := range []string{"GET /sluice/v1/whoami", "PUT /sluice/v1/users/{user}/password",
		"GET /sluice/v1/projects/{project}/lineage/openlineage", "POST /sluice/v1/projects/{project}/sql"} {
		found := false
		for _, op := range full {
			found = found || op == want
		}
		if !found {
			t.Errorf("%s not listed", want)
		}
	}
}

func splitPattern(p string) (string, string) {
	for i := range p {
		if p[i] == ' ' {
			return p[:i], p[i+1:]
		}
	}
	return "", p
}
