package rpc

import (
	"context"
	"strconv"
	"time"

	"github.com/sluice-dev/sluice"
)

const dataWorksVersion = "2020-05-18"

// dataWorks serves the DataWorks 2020-05-18 actions.
type dataWorks struct{ Services }

// result is the common DataWorks success envelope (alibaba-rpc.md §6.1).
type result struct {
	HTTPStatusCode int  `json:"HttpStatusCode"`
	Success        bool `json:"Success"`
	Data           any  `json:"Data"`
}

func ok(data any) result { return result{HTTPStatusCode: 200, Success: true, Data: data} }

// gmt formats the GmtCreate/GmtModified strings of GetProject.
func gmt(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// projectRef reads ProjectId or ProjectIdentifier.
func projectRef(p params) (sluice.ProjectRef, error) {
	if p.get("ProjectId") != "" {
		id, err := p.id("ProjectId")
		return sluice.ProjectByID(id), err
	}
	if name := p.get("ProjectIdentifier"); name != "" {
		return sluice.ProjectByName(name), nil
	}
	return sluice.ProjectRef{}, missing("ProjectId")
}

// projectAndID reads the workspace and one required id parameter, the opening of most DataWorks actions.
func projectAndID(p params, name string) (sluice.ProjectRef, int64, error) {
	ref, err := projectRef(p)
	if err != nil {
		return sluice.ProjectRef{}, 0, err
	}
	id, err := p.id(name)
	return ref, id, err
}

// createProject: CreateProject → Data = the new ProjectId. ProjectIdentifier is the unique name,
// ProjectName the display name.
func (dw dataWorks) createProject(ctx context.Context, p params) (any, error) {
	name, err := p.required("ProjectIdentifier")
	if err != nil {
		return nil, err
	}
	proj, err := dw.Projects.CreateProject(ctx, sluice.ProjectCreate{Name: name, DisplayName: p.get("ProjectName"), Comment: p.get("ProjectDescription")})
	if err != nil {
		return nil, err
	}
	return ok(proj.ID), nil
}

// projectData is GetProject's Data. Fields Sluice has no notion of carry the values a standard-mode
// workspace reports: ProjectMode 3 (development and production environments), Status 0 (available).
type projectData struct {
	ProjectID          int64    `json:"ProjectId"`
	ProjectIdentifier  string   `json:"ProjectIdentifier"`
	ProjectName        string   `json:"ProjectName"`
	ProjectDescription string   `json:"ProjectDescription"`
	ProjectOwnerBaseID string   `json:"ProjectOwnerBaseId"`
	Status             int      `json:"Status"`
	ProjectMode        int      `json:"ProjectMode"`
	IsAllowDownload    int      `json:"IsAllowDownload"`
	IsDefault          int      `json:"IsDefault"`
	TenantID           int64    `json:"TenantId"`
	GmtCreate          string   `json:"GmtCreate"`
	GmtModified        string   `json:"GmtModified"`
	EnvTypes           []string `json:"EnvTypes"`
	Tags               []tag    `json:"Tags"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func (dw dataWorks) getProject(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	proj, err := dw.Projects.FindProject(ctx, ref)
	if err != nil {
		return nil, err
	}
	return ok(projectData{
		ProjectID: proj.ID, ProjectIdentifier: proj.Name, ProjectName: proj.DisplayName, ProjectDescription: proj.Comment,
		ProjectOwnerBaseID: strconv.FormatInt(proj.OwnerID, 10), ProjectMode: 3, IsAllowDownload: 1, TenantID: proj.AccountID,
		GmtCreate: gmt(proj.CreatedAt), GmtModified: gmt(proj.UpdatedAt), EnvTypes: []string{"DEV", "PROD"}, Tags: []tag{},
	}), nil
}

// listedProject is one entry of ListProjects' PageResult.ProjectList.
type listedProject struct {
	ProjectID          int64  `json:"ProjectId"`
	ProjectIdentifier  string `json:"ProjectIdentifier"`
	ProjectName        string `json:"ProjectName"`
	ProjectDescription string `json:"ProjectDescription"`
	ProjectOwnerBaseID string `json:"ProjectOwnerBaseId"`
	ProjectStatus      int    `json:"ProjectStatus"`
	ProjectStatusCode  string `json:"ProjectStatusCode"`
	DisableDevelopment bool   `json:"DisableDevelopment"`
	Tags               []tag  `json:"Tags"`
}

type pageResult struct {
	PageNumber  int64           `json:"PageNumber"`
	PageSize    int64           `json:"PageSize"`
	TotalCount  int             `json:"TotalCount"`
	ProjectList []listedProject `json:"ProjectList"`
}

// listProjects: ListProjects answers RequestId and PageResult only (no Success/Data envelope).
func (dw dataWorks) listProjects(ctx context.Context, p params) (any, error) {
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	projects, total, err := dw.Projects.FindProjects(ctx, sluice.ProjectFilter{Offset: offset(number, size), Limit: int(size)})
	if err != nil {
		return nil, err
	}
	list := make([]listedProject, 0, len(projects))
	for _, proj := range projects {
		list = append(list, listedProject{ProjectID: proj.ID, ProjectIdentifier: proj.Name, ProjectName: proj.DisplayName,
			ProjectDescription: proj.Comment, ProjectOwnerBaseID: strconv.FormatInt(proj.OwnerID, 10),
			ProjectStatusCode: "AVAILABLE", Tags: []tag{}})
	}
	return struct {
		PageResult pageResult `json:"PageResult"`
	}{pageResult{PageNumber: number, PageSize: size, TotalCount: total, ProjectList: list}}, nil
}
