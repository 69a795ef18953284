package rpc

import (
	"reflect"
	"sort"
	"testing"

	"github.com/sluice-dev/sluice"
)

// TestActionsAreServed: with every service given, New serves exactly what Actions lists; without the
// optional ones, a subset of it (the project and MaxCompute actions).
func TestActionsAreServed(t *testing.T) {
	keys := func(s *Server) []string {
		var out []string
		for k := range s.actions {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	var listed []string
	for _, a := range Actions() {
		listed = append(listed, a.Version+"/"+a.Name)
	}
	sort.Strings(listed)
	full := New(Services{
		Projects: struct{ sluice.ProjectService }{},
		Files:    struct{ sluice.FileService }{},
		Lineage:  struct{ sluice.LineageService }{},
		Catalog:  struct{ sluice.CatalogService }{},
	}, nil)
	if got := keys(full); !reflect.DeepEqual(got, listed) {
		t.Errorf("served %v\nlisted %v", got, listed)
	}
	bare := keys(New(Services{Projects: struct{ sluice.ProjectService }{}}, nil))
	want := []string{"2019-06-12/CreateProject", "2019-06-12/DeleteProject", "2019-06-12/GetProject",
		"2020-05-18/CreateProject", "2020-05-18/GetProject", "2020-05-18/ListProjects"}
	if !reflect.DeepEqual(bare, want) {
		t.Errorf("projects only: served %v, want %v", bare, want)
	}
}
