package console

import (
	"net/http"
	"sort"
	"strings"
)

// muxer is what register registers routes on: an http.ServeMux, or the recorder of Routes.
type muxer interface {
	Handle(pattern string, h http.Handler)
}

// recorder keeps the patterns registered on it.
type recorder struct{ patterns []string }

func (r *recorder) Handle(pattern string, _ http.Handler) { r.patterns = append(r.patterns, pattern) }

// Routes lists the console's routes as "METHOD /path" patterns in path order: its API under
// /console/api/, its pages and assets (the catch-alls, which answer NotFound or the app page, are left
// out). The API coverage page (docs/coverage.md) is generated from it. register only binds handlers; no
// service is called.
func Routes() []string {
	var rec recorder
	(&server{}).register(&rec)
	var out []string
	for _, p := range rec.patterns {
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
