package roa

import (
	"net/http"
	"sort"
)

// routeTable is the ROA face's route table: method + path pattern -> action and handler, {name} being one
// path segment, decoded. New serves it and Routes lists it, so what is listed is what is served. Actions
// and paths are those of the generated client (aliyun/alibabacloud-go-sdk maxcompute-20220104). Binding a
// handler only takes a method value of h; no service is called.
func routeTable(h *handler) []*route {
	const project = "/api/v1/projects/{projectName}"
	catalog := func(svc Services) bool { return svc.Catalog != nil }
	resources := func(svc Services) bool { return svc.Resources != nil }
	return []*route{
		{method: http.MethodPost, pattern: "/api/v1/projects", action: "CreateProject", serve: h.createProject},
		{method: http.MethodGet, pattern: "/api/v1/projects", action: "ListProjects", serve: h.listProjects},
		{method: http.MethodGet, pattern: project, action: "GetProject", serve: h.getProject},
		{method: http.MethodDelete, pattern: project, action: "DeleteProject", serve: h.deleteProject},
		{method: http.MethodGet, pattern: project + "/tables", action: "ListTables", serve: h.listTables, needs: catalog},
		{method: http.MethodGet, pattern: project + "/tables/{tableName}", action: "GetTableInfo", serve: h.getTableInfo, needs: catalog},
		{method: http.MethodGet, pattern: project + "/functions", action: "ListFunctions", serve: h.listFunctions, needs: catalog},
		{method: http.MethodGet, pattern: project + "/packages", action: "ListPackages", serve: h.listPackages, needs: catalog},
		{method: http.MethodPost, pattern: project + "/packages", action: "CreatePackage", serve: h.createPackage, needs: catalog},
		{method: http.MethodGet, pattern: project + "/packages/{packageName}", action: "GetPackage", serve: h.getPackage, needs: catalog},
		{method: http.MethodPut, pattern: project + "/packages/{packageName}", action: "UpdatePackage", serve: h.updatePackage, needs: catalog},
		{method: http.MethodGet, pattern: project + "/resources", action: "ListResources", serve: h.listResources, needs: resources},
	}
}

// Route is one ROA operation as served: its action name, HTTP method and path pattern.
type Route struct {
	Action  string // e.g. "GetPackage"
	Method  string // e.g. "GET"
	Pattern string // e.g. "/api/v1/projects/{projectName}/packages/{packageName}"
}

// Routes lists every operation New serves when it is given all its services, by action name. The API
// coverage page (docs/coverage.md) is generated from it.
func Routes() []Route {
	var out []Route
	for _, rt := range routeTable(&handler{}) {
		out = append(out, Route{Action: rt.action, Method: rt.method, Pattern: rt.pattern})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}
