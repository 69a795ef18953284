package dli

import (
	"context"

	"github.com/sluice-dev/sluice"
)

// routeSpec is one entry of the route table; serve binds the handler to a server, so the table itself
// needs no server (and no service) to be listed.
type routeSpec struct {
	method, pattern, name string
	serve                 func(s *Server) serveFunc
}

// serveFunc is a route's handler.
type serveFunc = func(context.Context, *request) (int, any, error)

// routeTable is the DLI face's route table: New serves it and Routes lists it, so what is listed is what
// is served. GET and DELETE under resources/ always mean {resource_name}, even for a package named
// "owner"; PUT goes only to owner and POST only to jars|pyfiles|files (dli-resources.md §2, routing note).
var routeTable = []routeSpec{
	{"GET", "/v2.0/{project_id}/resources", "ListJobResources", func(s *Server) serveFunc { return s.listResources }},
	{"POST", "/v2.0/{project_id}/resources", "UploadJobResources", func(s *Server) serveFunc { return s.uploadResources }},
	{"POST", "/v2.0/{project_id}/resources/jars", "UploadJarJobResources", func(s *Server) serveFunc { return s.uploadKind(sluice.KindJar) }},
	{"POST", "/v2.0/{project_id}/resources/pyfiles", "UploadPythonFileJobResources", func(s *Server) serveFunc {
		return s.uploadKind(sluice.KindPyFile)
	}},
	{"POST", "/v2.0/{project_id}/resources/files", "UploadFileJobResources", func(s *Server) serveFunc {
		return s.uploadKind(sluice.KindFile)
	}},
	{"PUT", "/v2.0/{project_id}/resources/owner", "UpdateJobResourceOwner", func(s *Server) serveFunc { return s.changeOwner }},
	{"GET", "/v2.0/{project_id}/resources/{resource_name}", "ShowJobResource", func(s *Server) serveFunc { return s.showResource }},
	{"DELETE", "/v2.0/{project_id}/resources/{resource_name}", "DeleteJobResource", func(s *Server) serveFunc { return s.deleteResource }},
	{"POST", "/v3/{project_id}/{resource_type}/{resource_id...}/tags/create", "BatchCreateResourceTags", func(s *Server) serveFunc { return s.changeTags(true) }},
	{"POST", "/v3/{project_id}/{resource_type}/{resource_id...}/tags/delete", "BatchDeleteResourceTags", func(s *Server) serveFunc { return s.changeTags(false) }},
	{"GET", "/v3/{project_id}/{resource_type}/{resource_id...}/tags", "ShowResourceTags", func(s *Server) serveFunc { return s.showTags }},
	{"GET", "/v3/{project_id}/{resource_type}/tags", "ListResourcesTags", func(s *Server) serveFunc { return s.listTags }},
	{"POST", "/v3/{project_id}/{resource_type}/resource-instances/filter", "ListResourcesByTags", func(s *Server) serveFunc { return s.filterByTags(false) }},
	{"POST", "/v3/{project_id}/{resource_type}/resource-instances/count", "CountResourcesByTags", func(s *Server) serveFunc { return s.filterByTags(true) }},
}

// Route is one DLI operation as served: the SDK's method name, the HTTP method and the path pattern.
type Route struct {
	Name    string // e.g. "ShowJobResource"
	Method  string // e.g. "GET"
	Pattern string // e.g. "/v2.0/{project_id}/resources/{resource_name}"
}

// Routes lists every operation New serves, in the table's order. The API coverage page (docs/coverage.md)
// is generated from it.
func Routes() []Route {
	out := make([]Route, len(routeTable))
	for i, rt := range routeTable {
		out[i] = Route{Name: rt.name, Method: rt.method, Pattern: rt.pattern}
	}
	return out
}
