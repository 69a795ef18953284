package roa

import (
	"reflect"
	"testing"

	"github.com/sluice-dev/sluice"
)

// TestRoutesAreServed: with every service given, New serves exactly what Routes lists.
func TestRoutesAreServed(t *testing.T) {
	h := New(Services{
		Projects:  struct{ sluice.ProjectService }{},
		Catalog:   struct{ sluice.CatalogService }{},
		Resources: struct{ sluice.ResourceService }{},
	}, nil).(*handler)
	served := map[Route]bool{}
	for _, rt := range h.routes {
		served[Route{Action: rt.action, Method: rt.method, Pattern: rt.pattern}] = true
	}
	listed := map[Route]bool{}
	for _, r := range Routes() {
		listed[r] = true
	}
	if !reflect.DeepEqual(served, listed) {
		t.Errorf("served %v\nlisted %v", served, listed)
	}
	if n := len(New(Services{Projects: struct{ sluice.ProjectService }{}}, nil).(*handler).routes); n != 4 {
		t.Errorf("projects only: %d routes, want the 4 project APIs", n)
	}
}
