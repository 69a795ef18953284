package native

import (
	"net/http"
	"sort"
	"strings"

	"github.com/sluice-dev/sluice"
)

// muxer is what register registers routes on: an http.ServeMux, or the recorder of Routes.
type muxer interface {
	Handle(pattern string, h http.Handler)
}

// recorder keeps the patterns registered on it.
type recorder struct{ patterns []string }

func (r *recorder) Handle(pattern string, _ http.Handler) { r.patterns = append(r.patterns, pattern) }

// exportingLineage is a lineage service that also exports OpenLineage, as core.Service does, so that
// Routes lists the export route. Its methods are never called.
type exportingLineage struct {
	sluice.LineageService
	lineageExporter
}

// Routes lists the operations New registers when it is given every service, as "METHOD /path" patterns
// in path order (the catch-all that answers InvalidApi.NotFound is not an operation and is left out). The
// API coverage page (docs/coverage.md) is generated from it. The services given are empty shells: register
// only binds handlers, it calls no service.
func Routes() []string {
	s := &server{Services: fullShells()}
	var rec recorder
	s.register(&rec, nil)
	return operations(rec.patterns)
}

// fullShells is every service, as shells whose methods are never called.
func fullShells() Services {
	return Services{
		Identity:  struct{ sluice.IdentityService }{},
		Projects:  struct{ sluice.ProjectService }{},
		Lineage:   exportingLineage{},
		Resources: struct{ sluice.ResourceService }{},
		Catalog:   struct{ sluice.CatalogService }{},
		Sessions:  struct{ sluice.SessionService }{},
	}
}

// operations keeps the patterns that name a method, sorted by path then method.
func operations(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		if strings.Contains(p, " ") {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		mi, pi, _ := strings.Cut(out[i], " ")
		mj, pj, _ := strings.Cut(out[j], " ")
		if pi != pj {
			return pi < pj
		}
		return mi < mj
	})
	return out
}
