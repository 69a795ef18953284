package rpc

import (
	"context"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// envelope is the answer of an action that returns no data: the common fields only.
type envelope struct {
	HTTPStatusCode int  `json:"HttpStatusCode"`
	Success        bool `json:"Success"`
}

func done() envelope { return envelope{HTTPStatusCode: 200, Success: true} }

// createBusiness: CreateBusiness answers the new id in a top-level BusinessId, not in Data.
func (dw dataWorks) createBusiness(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	name, err := p.required("BusinessName")
	if err != nil {
		return nil, err
	}
	use := p.word("UseType", string(sluice.UseNormal), string(sluice.UseManualBiz)) // the core checks it and defaults it
	w, err := dw.Files.CreateWorkflow(ctx, ref, sluice.Workflow{Name: name, Description: p.get("Description"),
		Owner: strings.TrimSpace(p.get("Owner")), UseType: sluice.UseType(use)})
	if err != nil {
		return nil, err
	}
	return struct {
		envelope
		BusinessID int64 `json:"BusinessId"`
	}{done(), w.ID}, nil
}

// businessData is GetBusiness' Data: ProjectId is a string there (both SDKs), a number in ListBusiness.
type businessData struct {
	BusinessID   int64  `json:"BusinessId"`
	BusinessName string `json:"BusinessName"`
	Description  string `json:"Description"`
	Owner        string `json:"Owner"`
	ProjectID    string `json:"ProjectId"`
	UseType      string `json:"UseType"`
}

type businessItem struct {
	BusinessID   int64  `json:"BusinessId"`
	BusinessName string `json:"BusinessName"`
	Description  string `json:"Description"`
	Owner        string `json:"Owner"`
	ProjectID    int64  `json:"ProjectId"`
	UseType      string `json:"UseType"`
}

type businessPage struct {
	PageNumber int64          `json:"PageNumber"`
	PageSize   int64          `json:"PageSize"`
	TotalCount int            `json:"TotalCount"`
	Business   []businessItem `json:"Business"`
}

func useTypeOr(u sluice.UseType) string {
	if u == "" {
		return string(sluice.UseNormal)
	}
	return string(u)
}

func (dw dataWorks) getBusiness(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "BusinessId")
	if err != nil {
		return nil, err
	}
	w, err := dw.Files.FindWorkflow(ctx, ref, id)
	if err != nil {
		return nil, err
	}
	return ok(businessData{BusinessID: w.ID, BusinessName: w.Name, Description: w.Description, Owner: w.Owner,
		ProjectID: strconv.FormatInt(w.ProjectID, 10), UseType: useTypeOr(w.UseType)}), nil
}

// listBusiness: PageNumber and PageSize are required by the vendor's validation; Sluice defaults them
// (1 and 10) as every other list does.
func (dw dataWorks) listBusiness(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	ws, total, err := dw.Files.FindWorkflows(ctx, ref, sluice.WorkflowFilter{Keyword: p.get("Keyword"), Offset: offset(number, size), Limit: int(size)})
	if err != nil {
		return nil, err
	}
	page := businessPage{PageNumber: number, PageSize: size, TotalCount: total, Business: make([]businessItem, 0, len(ws))}
	for _, w := range ws {
		page.Business = append(page.Business, businessItem{BusinessID: w.ID, BusinessName: w.Name, Description: w.Description,
			Owner: w.Owner, ProjectID: w.ProjectID, UseType: useTypeOr(w.UseType)})
	}
	return ok(page), nil
}

func (dw dataWorks) updateBusiness(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "BusinessId")
	if err != nil {
		return nil, err
	}
	var u sluice.WorkflowUpdate
	if p.get("BusinessName") != "" {
		name := p.get("BusinessName")
		u.Name = &name
	}
	u.Description = p.optString("Description")
	if owner := strings.TrimSpace(p.get("Owner")); owner != "" {
		u.Owner = &owner
	}
	if _, err := dw.Files.UpdateWorkflow(ctx, ref, id, u); err != nil {
		return nil, err
	}
	return done(), nil
}

func (dw dataWorks) deleteBusiness(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "BusinessId")
	if err != nil {
		return nil, err
	}
	if err := dw.Files.DeleteWorkflow(ctx, ref, id); err != nil {
		return nil, err
	}
	return done(), nil
}

type folderData struct {
	FolderID   string `json:"FolderId"`
	FolderPath string `json:"FolderPath"`
}

type folderPage struct {
	PageNumber int64        `json:"PageNumber"`
	PageSize   int64        `json:"PageSize"`
	TotalCount int          `json:"TotalCount"`
	Folders    []folderData `json:"Folders"`
}

// createFolder: CreateFolder answers the new folder's id as a string Data. Missing parents are created.
func (dw dataWorks) createFolder(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	path, err := p.required("FolderPath")
	if err != nil {
		return nil, err
	}
	f, err := dw.Files.CreateFolder(ctx, ref, path)
	if err != nil {
		return nil, err
	}
	return ok(f.ID), nil
}

// getFolder finds a folder by FolderId, else by FolderPath.
func (dw dataWorks) getFolder(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	id, path := p.get("FolderId"), p.get("FolderPath")
	if id == "" && path == "" {
		return nil, missing("FolderId")
	}
	f, err := dw.Files.FindFolder(ctx, ref, id, path)
	if err != nil {
		return nil, err
	}
	return ok(folderData{FolderID: f.ID, FolderPath: f.Path}), nil
}

// listFolders lists the direct sub-folders of ParentFolderPath.
func (dw dataWorks) listFolders(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	parent, err := p.required("ParentFolderPath")
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	fs, total, err := dw.Files.FindFolders(ctx, ref, parent, offset(number, size), int(size))
	if err != nil {
		return nil, err
	}
	page := folderPage{PageNumber: number, PageSize: size, TotalCount: total, Folders: make([]folderData, 0, len(fs))}
	for _, f := range fs {
		page.Folders = append(page.Folders, folderData{FolderID: f.ID, FolderPath: f.Path})
	}
	return ok(page), nil
}

// updateFolder renames a folder (its last path segment); everything below it moves along.
func (dw dataWorks) updateFolder(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	id, err := p.required("FolderId")
	if err != nil {
		return nil, err
	}
	name, err := p.required("FolderName")
	if err != nil {
		return nil, err
	}
	if _, err := dw.Files.RenameFolder(ctx, ref, id, name); err != nil {
		return nil, err
	}
	return done(), nil
}

// deleteFolder deletes an empty folder; the core refuses one that holds files or folders (ECONFLICT).
func (dw dataWorks) deleteFolder(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	id, err := p.required("FolderId")
	if err != nil {
		return nil, err
	}
	if err := dw.Files.DeleteFolder(ctx, ref, id); err != nil {
		return nil, err
	}
	return done(), nil
}
