package rpc

import (
	"context"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
)

// maxComputeVersion is the RPC-style MaxCompute API, the only MaxCompute client the old Go SDK has
// (services/maxcompute: CreateProject, GetProject, DeleteProject; parameters in the form body).
const maxComputeVersion = "2019-06-12"

type maxCompute struct{ Services }

// mcResult is the 2019-06-12 envelope: Code, Message and a string Data.
type mcResult struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
	Data    string `json:"Data"`
}

func mcOK(data string) mcResult { return mcResult{Code: "200", Message: "success", Data: data} }

// mcProject is the JSON text GetProject returns in Data.
type mcProject struct {
	Name        string `json:"name"`
	ProjectID   int64  `json:"projectId"`
	UUID        string `json:"uuid"`
	Owner       string `json:"owner"`
	Comment     string `json:"comment"`
	Status      string `json:"status"`
	Type        string `json:"type"`
	CreatedTime int64  `json:"createdTime"`
}

func (mc maxCompute) createProject(ctx context.Context, p params) (any, error) {
	name, err := p.required("ProjectName")
	if err != nil {
		return nil, err
	}
	proj, err := mc.Projects.CreateProject(ctx, sluice.ProjectCreate{Name: name})
	if err != nil {
		return nil, err
	}
	return mcOK(proj.Name), nil
}

func (mc maxCompute) getProject(ctx context.Context, p params) (any, error) {
	name, err := p.required("ProjectName")
	if err != nil {
		return nil, err
	}
	proj, err := mc.Projects.FindProject(ctx, sluice.ProjectByName(name))
	if err != nil {
		return nil, err
	}
	data, err := api.MarshalJSON(mcProject{Name: proj.Name, ProjectID: proj.ID, UUID: proj.UUID, Owner: proj.OwnerName,
		Comment: proj.Comment, Status: "AVAILABLE", Type: "managed", CreatedTime: proj.CreatedAt.UnixMilli()})
	if err != nil {
		return nil, err
	}
	return mcOK(string(data)), nil
}

func (mc maxCompute) deleteProject(ctx context.Context, p params) (any, error) {
	name, err := p.required("ProjectName")
	if err != nil {
		return nil, err
	}
	if err := mc.Projects.DeleteProject(ctx, sluice.ProjectByName(name)); err != nil {
		return nil, err
	}
	return mcOK(name), nil
}
