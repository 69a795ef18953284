package roa

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/sluice-dev/sluice"
)

// Project APIs (maxcompute-packages.md §6). Wire shapes follow the generated client's models
// (create_project_*, get_project_*, list_projects_*, delete_project_* in maxcompute-20220104/client):
//
//	CreateProject  POST   /api/v1/projects                body: JSON text {name, comment, productType, defaultQuota, properties}
//	                                                      -> {requestId, data: "success"}
//	GetProject     GET    /api/v1/projects/{projectName}  ?verbose&withQuotaProductType&withStorageTierInfo
//	                                                      -> {requestId, httpCode, errorCode, errorMsg, data: project}
//	ListProjects   GET    /api/v1/projects                ?marker&maxItem&prefix&type
//	                                                      -> {requestId, data: {projects[], marker, maxItem, NextToken}}
//	DeleteProject  DELETE /api/v1/projects/{projectName}  ?isLogical (accepted, ignored: deletion is immediate)
//	                                                      -> {requestId, data: "success"}
//
// What a project carries that the domain knows: name, owner (the owner's user name), comment, createdTime
// (epoch milliseconds: the SDK types it *int64). Everything else is synthesised, constant for every
// project, chosen as a MaxCompute pay-as-you-go project with default settings would show it:
//
//	status "AVAILABLE", type "managed", regionId "cn-hangzhou", defaultQuota "os_PayAsYouGoQuota",
//	productType "PayAsYouGo", saleTag {resourceType "PayAsYouGo"}, costStorage "0", threeTierModel false,
//	ipWhiteList {"", ""} (no allow-list), properties {allowFullScan false, enableDecimal2 true,
//	typeSystem "2", timezone "UTC", retentionDays 1, tableLifecycle {optional, "37231"},
//	tunnelQuota "Default", encryption {enable false}, storageTierInfo zeros when asked for},
//	securityProperties {usingAcl true, usingPolicy true, objectCreatorHas{Access,Grant}Permission true,
//	labelSecurity false, enableDownloadPrivilege false, projectProtection {protected false}}.
//
// ListProjects pages by name: maxItem 1..1000 (0 or absent = 10); marker is opaque, empty on the last page
// and otherwise the start of the next; the model has no total. type=external lists nothing (every Sluice
// project is managed). quotaName, quotaNickName, region, saleTags, tenantId, sortBy and sortOrder are
// accepted and ignored (one region, no quotas or tenants; the order is always by name, which marker paging
// needs); listSystemCatalog is type-checked and ignored (there is no SYSTEM_CATALOG project).
//
// superAdmins (verbose=true only) is real: the project's members with the owner role.
// CreateProject accepts productType, defaultQuota and properties (type-checked) and ignores them: Sluice
// has no billing, quotas or project settings.

// Synthesised constants, see above.
const (
	projectStatus = "AVAILABLE"
	projectType   = "managed"
	regionID      = "cn-hangzhou"
	defaultQuota  = "os_PayAsYouGoQuota"
	productType   = "PayAsYouGo"
)

// Paging of every list API (ListProjects, ListTables, ListFunctions, ListResources): maxItem defaults to
// 10 (the documented default) and may not exceed 1000.
const (
	defaultMaxItem = 10
	maxMaxItem     = 1000
)

// project is GetProjectResponseBodyData; ListProjectsResponseBodyDataProjects is a subset of it.
type project struct {
	Name               string             `json:"name"`
	Owner              string             `json:"owner"`
	Comment            string             `json:"comment"`
	CreatedTime        int64              `json:"createdTime"`
	Status             string             `json:"status"`
	Type               string             `json:"type"`
	RegionID           string             `json:"regionId"`
	DefaultQuota       string             `json:"defaultQuota"`
	ProductType        string             `json:"productType"`
	SaleTag            saleTag            `json:"saleTag"`
	CostStorage        string             `json:"costStorage"`
	ThreeTierModel     bool               `json:"threeTierModel"`
	IPWhiteList        ipWhiteList        `json:"ipWhiteList"`
	Properties         projectProperties  `json:"properties"`
	SecurityProperties securityProperties `json:"securityProperties"`
	SuperAdmins        []string           `json:"superAdmins,omitempty"`
}

type saleTag struct {
	ResourceID   string `json:"resourceId,omitempty"`
	ResourceType string `json:"resourceType"`
}

type ipWhiteList struct {
	IPList    string `json:"ipList"`
	VPCIPList string `json:"vpcIpList"`
}

type projectProperties struct {
	AllowFullScan          bool             `json:"allowFullScan"`
	EnableDecimal2         bool             `json:"enableDecimal2"`
	EnableTunnelQuotaRoute bool             `json:"enableTunnelQuotaRoute"`
	EnableTieredStorage    bool             `json:"enableTieredStorage"`
	Encryption             encryption       `json:"encryption"`
	RetentionDays          int64            `json:"retentionDays"`
	SQLMeteringMax         string           `json:"sqlMeteringMax"`
	TableLifecycle         tableLifecycle   `json:"tableLifecycle"`
	Timezone               string           `json:"timezone"`
	TunnelQuota            string           `json:"tunnelQuota"`
	TypeSystem             string           `json:"typeSystem"`
	StorageTierInfo        *storageTierInfo `json:"storageTierInfo,omitempty"`
}

type encryption struct {
	Enable    bool   `json:"enable"`
	Algorithm string `json:"algorithm"`
	Key       string `json:"key"`
}

type tableLifecycle struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type storageTierInfo struct {
	ProjectBackupSize int64           `json:"projectBackupSize"`
	ProjectTotalSize  int64           `json:"projectTotalSize"`
	StorageTierSize   storageTierSize `json:"storageTierSize"`
}

type storageTierSize struct {
	StandardSize     int64 `json:"standardSize"`
	LowFrequencySize int64 `json:"lowFrequencySize"`
	LongTermSize     int64 `json:"longTermSize"`
}

type securityProperties struct {
	UsingACL                         bool              `json:"usingAcl"`
	UsingPolicy                      bool              `json:"usingPolicy"`
	ObjectCreatorHasAccessPermission bool              `json:"objectCreatorHasAccessPermission"`
	ObjectCreatorHasGrantPermission  bool              `json:"objectCreatorHasGrantPermission"`
	LabelSecurity                    bool              `json:"labelSecurity"`
	EnableDownloadPrivilege          bool              `json:"enableDownloadPrivilege"`
	ProjectProtection                projectProtection `json:"projectProtection"`
}

type projectProtection struct {
	Protected       bool   `json:"protected"`
	ExceptionPolicy string `json:"exceptionPolicy,omitempty"`
}

// newProject renders p with the synthesised fields described above.
func newProject(p *sluice.Project) project {
	return project{
		Name:         p.Name,
		Owner:        p.OwnerName,
		Comment:      p.Comment,
		CreatedTime:  p.CreatedAt.UnixMilli(),
		Status:       projectStatus,
		Type:         projectType,
		RegionID:     regionID,
		DefaultQuota: defaultQuota,
		ProductType:  productType,
		SaleTag:      saleTag{ResourceType: productType},
		CostStorage:  "0",
		Properties: projectProperties{
			EnableDecimal2: true,
			RetentionDays:  1,
			TableLifecycle: tableLifecycle{Type: "optional", Value: "37231"},
			Timezone:       "UTC",
			TunnelQuota:    "Default",
			TypeSystem:     "2",
		},
		SecurityProperties: securityProperties{
			UsingACL: true, UsingPolicy: true,
			ObjectCreatorHasAccessPermission: true, ObjectCreatorHasGrantPermission: true,
		},
	}
}

// createProjectBody is the JSON text of CreateProjectRequest.Body.
type createProjectBody struct {
	Name         *string        `json:"name"`
	Comment      string         `json:"comment"`
	ProductType  string         `json:"productType"`
	DefaultQuota string         `json:"defaultQuota"`
	Properties   map[string]any `json:"properties"`
}

func (h *handler) createProject(ctx context.Context, q *request) (any, error) {
	var in createProjectBody
	if err := q.decodeJSON(&in); err != nil {
		return nil, err
	}
	if in.Name == nil || *in.Name == "" {
		return nil, sluice.Errorf(sluice.EINVALID, "The field name of the request body is mandatory.")
	}
	if _, err := h.projects.CreateProject(ctx, sluice.ProjectCreate{Name: *in.Name, Comment: in.Comment}); err != nil {
		return nil, err
	}
	return ok(ctx, "success"), nil
}

func (h *handler) getProject(ctx context.Context, q *request) (any, error) {
	verbose, err := q.boolQuery("verbose")
	if err != nil {
		return nil, err
	}
	if _, err := q.boolQuery("withQuotaProductType"); err != nil { // productType is always there
		return nil, err
	}
	withStorage, err := q.boolQuery("withStorageTierInfo")
	if err != nil {
		return nil, err
	}
	ref := sluice.ProjectByName(q.params["projectName"])
	p, err := h.projects.FindProject(ctx, ref)
	if err != nil {
		return nil, err
	}
	data := newProject(p)
	if withStorage {
		data.Properties.StorageTierInfo = &storageTierInfo{}
	}
	if verbose {
		members, err := h.projects.FindMembers(ctx, sluice.ProjectByID(p.ID))
		if err != nil {
			return nil, err
		}
		data.SuperAdmins = []string{}
		for _, m := range members {
			if m.Role == sluice.RoleOwner {
				data.SuperAdmins = append(data.SuperAdmins, m.UserName)
			}
		}
	}
	return okCoded(ctx, data), nil
}

// listProjectsData is ListProjectsResponseBodyData. marker is empty on the last page; NextToken (spelled so
// in the model) repeats it for clients that read that field.
type listProjectsData struct {
	Projects  []project `json:"projects"`
	Marker    string    `json:"marker"`
	MaxItem   int       `json:"maxItem"`
	NextToken string    `json:"NextToken"`
}

// The marker is opaque to clients: the URL-safe base64 of the last name on the page, so that it survives
// a query string unescaped. The next page starts after that name.
func encodeMarker(name string) string { return base64.RawURLEncoding.EncodeToString([]byte(name)) }

func decodeMarker(marker string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil || len(b) == 0 {
		return "", sluice.Errorf(sluice.EINVALID, "The marker %q is invalid: pass the marker of the previous page.", marker)
	}
	return string(b), nil
}

// page reads the marker paging of every list API of this face: maxItem 1..1000 (0 or absent = 10) and the
// marker of the previous page, decoded into what the next page starts after ("" for the first page).
func (q *request) page() (maxItem int, after string, err error) {
	maxItem = defaultMaxItem
	if v := q.query.Get("maxItem"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxMaxItem {
			return 0, "", sluice.Errorf(sluice.EINVALID, "The parameter maxItem must be an integer from 0 to %d, not %q.", maxMaxItem, v)
		}
		if n > 0 {
			maxItem = n
		}
	}
	if m := q.query.Get("marker"); m != "" {
		if after, err = decodeMarker(m); err != nil {
			return 0, "", err
		}
	}
	return maxItem, after, nil
}

func (h *handler) listProjects(ctx context.Context, q *request) (any, error) {
	maxItem, after, err := q.page()
	if err != nil {
		return nil, err
	}
	f := sluice.ProjectFilter{Prefix: q.query.Get("prefix"), After: after, Limit: maxItem + 1}
	if _, err := q.boolQuery("listSystemCatalog"); err != nil {
		return nil, err
	}
	data := listProjectsData{Projects: []project{}, MaxItem: maxItem}
	switch t := q.query.Get("type"); t {
	case "", projectType:
	case "external": // Sluice has only managed projects
		return ok(ctx, data), nil
	default:
		return nil, sluice.Errorf(sluice.EINVALID, "The parameter type must be managed or external, not %q.", t)
	}
	f.NoTotal = true // the SDK model has no total
	ps, _, err := h.projects.FindProjects(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(ps) > maxItem {
		ps = ps[:maxItem]
		data.Marker = encodeMarker(ps[len(ps)-1].Name)
		data.NextToken = data.Marker
	}
	for _, p := range ps {
		data.Projects = append(data.Projects, newProject(p))
	}
	return ok(ctx, data), nil
}

func (h *handler) deleteProject(ctx context.Context, q *request) (any, error) {
	if _, err := q.boolQuery("isLogical"); err != nil {
		return nil, err
	}
	if err := h.projects.DeleteProject(ctx, sluice.ProjectByName(q.params["projectName"])); err != nil {
		return nil, err
	}
	return ok(ctx, "success"), nil
}
