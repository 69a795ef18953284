package roa

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// Package APIs (maxcompute-packages.md §4, §5). Wire shapes follow the generated client's models
// (list_packages_*, get_package_*, create_package_*, update_package_* in maxcompute-20220104/client):
//
//	ListPackages   GET  /api/v1/projects/{projectName}/packages                 -> {requestId, data: {createdPackages[], installedPackages[]}}
//	GetPackage     GET  /api/v1/projects/{projectName}/packages/{packageName}   ?sourceProject
//	                                                                            -> {requestId, httpCode, errorCode, errorMsg, data: package}
//	CreatePackage  POST /api/v1/projects/{projectName}/packages                 ?isInstall, body: JSON text {name, resourceList}
//	                                                                            -> {requestId, data: "success"}
//	UpdatePackage  PUT  /api/v1/projects/{projectName}/packages/{packageName}   body: JSON text {add, remove}
//	                                                                            -> {requestId, data: "success"}
//
// ListPackages: createTime and installTime are epoch milliseconds (the model types them *int64; an ISO
// string would be mis-decoded), status is always "OK" (an installation exists or it does not).
//
// GetPackage answers a package created in projectName, or, with sourceProject (another project), the one
// installed into projectName from there. allowedProjectList[].label is the label as a string ("0"–"9");
// resourceList has table, resource and function (always all three, empty when the package holds none), each
// object with name, schemaName ("default" in a two-layer project) and its actions, lower case. Instance
// objects, which only MaxCompute SQL can add, have no place in the model and are left out.
//
// CreatePackage's body is {"name": ..., "resourceList": {"table"|"resource"|"function": [{"name": ...,
// "schemaName": ..., "actions": [...]}]}}: one CatalogService.CreatePackage call with those objects, so
// the package and all its objects are created together or not at all. Actions are accepted in any case
// (the reference's examples write Describe, Select); an object without actions gets the default ones
// (those of ADD ... TO PACKAGE without WITH PRIVILEGES). Which actions are valid for which object is the
// core's rule.
//
// isInstall=true is documented only as "whether to install" (§5.3, open question). Sluice's decision: the
// request installs a package into projectName instead of creating one, the same as running
// INSTALL PACKAGE <sourceProject>.<package> there, and so the body's name must be <sourceProject>.<package>
// and its resourceList must be absent or empty (an installation takes the package as its owner made it).
// A name without a dot, or objects in the body, are InvalidParameter.
//
// UpdatePackage's body is {"add": {"allowedProjectList": [{"project", "label"}], "resourceList": {...}},
// "remove": {"allowedProjectList": [{"project"}], "resourceList": {...}}}: one CatalogService.UpdatePackage
// call, all or nothing. label is "0"–"9" or the number 0–9; absent or null, 0. Adding a project that is
// allowed already changes its label. A body that changes nothing is InvalidParameter.
//
// Bodies are checked before anything changes: malformed JSON, a field of the wrong JSON type, an object
// type other than table, resource and function, an object without a name, or a label out of range are
// InvalidParameter (400). Unknown top-level fields are ignored, as the service ignores what it does not
// know.

// createdPackage is ListPackagesResponseBodyDataCreatedPackages.
type createdPackage struct {
	Name       string `json:"name"`
	CreateTime int64  `json:"createTime"`
}

// installedPackage is ListPackagesResponseBodyDataInstalledPackages.
type installedPackage struct {
	Name          string `json:"name"`
	SourceProject string `json:"sourceProject"`
	Status        string `json:"status"`
	InstallTime   int64  `json:"installTime"`
}

type listPackagesData struct {
	CreatedPackages   []createdPackage   `json:"createdPackages"`
	InstalledPackages []installedPackage `json:"installedPackages"`
}

func (h *handler) listPackages(ctx context.Context, q *request) (any, error) {
	project := q.params["projectName"]
	l, err := h.catalog.FindPackages(ctx, sluice.ProjectByName(project))
	if err != nil {
		return nil, err
	}
	data := listPackagesData{CreatedPackages: []createdPackage{}, InstalledPackages: []installedPackage{}}
	for _, p := range l.Created {
		data.CreatedPackages = append(data.CreatedPackages, createdPackage{Name: p.Name, CreateTime: p.CreatedAt.UnixMilli()})
	}
	for _, in := range l.Installed {
		status := in.Status
		if status == "" {
			status = sluice.InstallOK
		}
		data.InstalledPackages = append(data.InstalledPackages, installedPackage{Name: in.Package, SourceProject: in.SourceProject,
			Status: status, InstallTime: in.InstalledAt.UnixMilli()})
	}
	return ok(ctx, data), nil
}

// packageData is GetPackageResponseBodyData.
type packageData struct {
	AllowedProjectList []allowedProject `json:"allowedProjectList"`
	ResourceList       resourceList     `json:"resourceList"`
}

type allowedProject struct {
	Project string `json:"project"`
	Label   string `json:"label"`
}

type resourceList struct {
	Table    []packageObject `json:"table"`
	Resource []packageObject `json:"resource"`
	Function []packageObject `json:"function"`
}

type packageObject struct {
	Name       string   `json:"name"`
	SchemaName string   `json:"schemaName"`
	Actions    []string `json:"actions"`
}

func newPackageData(p *sluice.Package) packageData {
	d := packageData{AllowedProjectList: []allowedProject{},
		ResourceList: resourceList{Table: []packageObject{}, Resource: []packageObject{}, Function: []packageObject{}}}
	for _, a := range p.Allowed {
		d.AllowedProjectList = append(d.AllowedProjectList, allowedProject{Project: a.Project, Label: strconv.Itoa(a.Label)})
	}
	for _, o := range p.Objects {
		w := packageObject{Name: o.Name, SchemaName: schemaOf(o.Schema), Actions: make([]string, 0, len(o.Actions))}
		for _, a := range o.Actions {
			w.Actions = append(w.Actions, strings.ToLower(a))
		}
		switch o.Type {
		case sluice.ObjectTable:
			d.ResourceList.Table = append(d.ResourceList.Table, w)
		case sluice.ObjectResource:
			d.ResourceList.Resource = append(d.ResourceList.Resource, w)
		case sluice.ObjectFunction:
			d.ResourceList.Function = append(d.ResourceList.Function, w)
		}
	}
	return d
}

func (h *handler) getPackage(ctx context.Context, q *request) (any, error) {
	project, name := q.params["projectName"], q.params["packageName"]
	source := strings.TrimSpace(q.query.Get("sourceProject"))
	p, err := h.catalog.FindPackage(ctx, sluice.ProjectByName(project), name, source)
	if err != nil {
		return nil, err
	}
	return okCoded(ctx, newPackageData(p)), nil
}

// objectTypes are the keys of a body's resourceList, the object types the 2022-01-04 models know.
var objectTypes = map[string]sluice.ObjectType{
	"table":    sluice.ObjectTable,
	"resource": sluice.ObjectResource,
	"function": sluice.ObjectFunction,
}

// objectList is a body's resourceList, decoded strictly: every key an object type, every object named.
type objectList struct {
	field   string // where it sits in the body, for messages
	objects []sluice.PackageObject
}

func (l *objectList) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var byType map[string]json.RawMessage
	if err := json.Unmarshal(b, &byType); err != nil {
		return sluice.Errorf(sluice.EINVALID, "The field %s of the request body must be a JSON object of table, resource and function lists.", l.field)
	}
	// Object types in a fixed order, so that the objects reach the core the same way every time.
	for _, key := range []string{"table", "resource", "function"} {
		raw, ok := byType[key]
		if !ok {
			continue
		}
		delete(byType, key)
		var entries []struct {
			Name       any `json:"name"`
			SchemaName any `json:"schemaName"`
			Actions    any `json:"actions"`
		}
		if err := json.Unmarshal(raw, &entries); err != nil {
			return sluice.Errorf(sluice.EINVALID, "The field %s.%s of the request body must be a JSON array of objects.", l.field, key)
		}
		for i, e := range entries {
			where := fmt.Sprintf("%s.%s[%d]", l.field, key, i)
			name, ok := e.Name.(string)
			if !ok || strings.TrimSpace(name) == "" {
				return sluice.Errorf(sluice.EINVALID, "The field %s.name of the request body is mandatory and must be a JSON string.", where)
			}
			o := sluice.PackageObject{Type: objectTypes[key], Schema: sluice.DefaultSchema, Name: strings.TrimSpace(name)}
			switch s := e.SchemaName.(type) {
			case nil:
			case string:
				if s = strings.TrimSpace(s); s != "" {
					o.Schema = s
				}
			default:
				return sluice.Errorf(sluice.EINVALID, "The field %s.schemaName of the request body must be a JSON string.", where)
			}
			switch as := e.Actions.(type) {
			case nil:
			case []any:
				for _, a := range as {
					s, ok := a.(string)
					if !ok || strings.TrimSpace(s) == "" {
						return sluice.Errorf(sluice.EINVALID, "The field %s.actions of the request body must be a JSON array of action names.", where)
					}
					o.Actions = append(o.Actions, strings.TrimSpace(s))
				}
			default:
				return sluice.Errorf(sluice.EINVALID, "The field %s.actions of the request body must be a JSON array of action names.", where)
			}
			l.objects = append(l.objects, o)
		}
	}
	for key := range byType {
		return sluice.Errorf(sluice.EINVALID, "The field %s of the request body has an unknown object type %q: use table, resource or function.", l.field, key)
	}
	return nil
}

// createPackageBody is the JSON text of CreatePackageRequest.Body.
type createPackageBody struct {
	Name         any         `json:"name"`
	ResourceList *objectList `json:"resourceList"`
}

func (h *handler) createPackage(ctx context.Context, q *request) (any, error) {
	install, err := q.boolQuery("isInstall")
	if err != nil {
		return nil, err
	}
	in := createPackageBody{ResourceList: &objectList{field: "resourceList"}}
	if err := q.decodeJSON(&in); err != nil {
		return nil, err
	}
	var objects []sluice.PackageObject
	if in.ResourceList != nil { // "resourceList": null
		objects = in.ResourceList.objects
	}
	name, _ := in.Name.(string)
	if name = strings.TrimSpace(name); name == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The field name of the request body is mandatory and must be a JSON string.")
	}
	project := q.params["projectName"]
	ref := sluice.ProjectByName(project)
	if install {
		source, pkg, dotted := strings.Cut(name, ".")
		if !dotted || source == "" || pkg == "" {
			return nil, sluice.Errorf(sluice.EINVALID,
				"With isInstall=true the field name of the request body must be <sourceProject>.<package>, the package to install into %s, not %q.", project, name)
		}
		if len(objects) > 0 {
			return nil, sluice.Errorf(sluice.EINVALID,
				"With isInstall=true the request body must have no resourceList: an installation takes the package as its project made it.")
		}
		if _, err := h.catalog.InstallPackage(ctx, ref, source, pkg); err != nil {
			return nil, err
		}
		return ok(ctx, "success"), nil
	}
	if _, err := h.catalog.CreatePackage(ctx, ref, sluice.Package{Name: name, Objects: objects}); err != nil {
		return nil, err
	}
	return ok(ctx, "success"), nil
}

// label is an allow-list label: "0"–"9" or the number 0–9, absent or null 0.
type label int

func (l *label) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		*l = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > sluice.MaxLabel {
		return sluice.Errorf(sluice.EINVALID, "The label %s is invalid: use 0 to %d.", string(b), sluice.MaxLabel)
	}
	*l = label(n)
	return nil
}

type allowEntry struct {
	Project any   `json:"project"`
	Label   label `json:"label"`
}

type packageChanges struct {
	AllowedProjectList []allowEntry `json:"allowedProjectList"`
	ResourceList       *objectList  `json:"resourceList"`
}

// updatePackageBody is the JSON text of UpdatePackageRequest.Body.
type updatePackageBody struct {
	Add    *packageChanges `json:"add"`
	Remove *packageChanges `json:"remove"`
}

// projects returns the project names of an allow-list change, each mandatory.
func (c *packageChanges) projects(field string) ([]string, error) {
	var names []string
	for i, e := range c.AllowedProjectList {
		name, _ := e.Project.(string)
		if name = strings.TrimSpace(name); name == "" {
			return nil, sluice.Errorf(sluice.EINVALID, "The field %s.allowedProjectList[%d].project of the request body is mandatory and must be a JSON string.", field, i)
		}
		names = append(names, name)
	}
	return names, nil
}

func (h *handler) updatePackage(ctx context.Context, q *request) (any, error) {
	in := updatePackageBody{
		Add:    &packageChanges{ResourceList: &objectList{field: "add.resourceList"}},
		Remove: &packageChanges{ResourceList: &objectList{field: "remove.resourceList"}},
	}
	if err := q.decodeJSON(&in); err != nil {
		return nil, err
	}
	var u sluice.PackageUpdate
	if in.Add != nil {
		names, err := in.Add.projects("add")
		if err != nil {
			return nil, err
		}
		for i, name := range names {
			u.Allow = append(u.Allow, sluice.PackageAllow{Project: name, Label: int(in.Add.AllowedProjectList[i].Label)})
		}
		if in.Add.ResourceList != nil {
			u.AddObjects = in.Add.ResourceList.objects
		}
	}
	if in.Remove != nil {
		names, err := in.Remove.projects("remove")
		if err != nil {
			return nil, err
		}
		u.Disallow = names
		if in.Remove.ResourceList != nil {
			u.RemoveObjects = in.Remove.ResourceList.objects
		}
	}
	if len(u.Allow)+len(u.Disallow)+len(u.AddObjects)+len(u.RemoveObjects) == 0 {
		return nil, sluice.Errorf(sluice.EINVALID, "The request body changes nothing: give add or remove with an allowedProjectList or a resourceList.")
	}
	if _, err := h.catalog.UpdatePackage(ctx, sluice.ProjectByName(q.params["projectName"]), q.params["packageName"], u); err != nil {
		return nil, err
	}
	return ok(ctx, "success"), nil
}
