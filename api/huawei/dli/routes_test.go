package dli

import (
	"strings"
	"testing"

	"github.com/sluice-dev/sluice"
)

// TestRoutesAreServed: New serves exactly what Routes lists, in the same order (the order decides which
// of two patterns a path matches).
func TestRoutesAreServed(t *testing.T) {
	s := New(struct{ sluice.ResourceService }{}, nil) // a shell: binding a route calls no service
	listed := Routes()
	if len(s.routes) != len(listed) {
		t.Fatalf("%d served, %d listed", len(s.routes), len(listed))
	}
	for i, rt := range s.routes {
		l := listed[i]
		if rt.method != l.Method || rt.name != l.Name || strings.Join(rt.pattern, "/") != strings.Trim(l.Pattern, "/") {
			t.Errorf("route %d: served %s %v %s, listed %+v", i, rt.method, rt.pattern, rt.name, l)
		}
	}
}
