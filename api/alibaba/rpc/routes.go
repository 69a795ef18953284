package rpc

import "sort"

// actionGroup is a set of actions of one API version that New serves when the services they call are
// given (served).
type actionGroup struct {
	version string
	served  bool
	actions map[string]action
}

// actionTable is the RPC face's table of actions: New registers it and Actions lists it, so what is listed
// is what is served. Binding an action only takes a method value; no service is called, so the table can be
// built from empty Services.
func actionTable(svc Services) []actionGroup {
	dw := dataWorks{svc}
	mc := maxCompute{svc}
	return []actionGroup{
		{version: dataWorksVersion, served: true, actions: map[string]action{
			"CreateProject": dw.createProject,
			"GetProject":    dw.getProject,
			"ListProjects":  dw.listProjects,
		}},
		{version: dataWorksVersion, served: svc.Files != nil, actions: map[string]action{
			"CreateBusiness":   dw.createBusiness,
			"GetBusiness":      dw.getBusiness,
			"ListBusiness":     dw.listBusiness,
			"UpdateBusiness":   dw.updateBusiness,
			"DeleteBusiness":   dw.deleteBusiness,
			"CreateFolder":     dw.createFolder,
			"GetFolder":        dw.getFolder,
			"ListFolders":      dw.listFolders,
			"UpdateFolder":     dw.updateFolder,
			"DeleteFolder":     dw.deleteFolder,
			"CreateFile":       dw.createFile,
			"GetFile":          dw.getFile,
			"UpdateFile":       dw.updateFile,
			"DeleteFile":       dw.deleteFile,
			"ListFiles":        dw.listFiles,
			"ListFileType":     dw.listFileType,
			"SubmitFile":       dw.submitFile,
			"DeployFile":       dw.deployFile,
			"GetDeployment":    dw.getDeployment,
			"ListFileVersions": dw.listFileVersions,
			"GetFileVersion":   dw.getFileVersion,
			"GetNode":          dw.getNode,
			"ListNodes":        dw.listNodes,
		}},
		{version: dataWorksVersion, served: svc.Lineage != nil, actions: map[string]action{
			"GetMetaTableProducingTasks": meta(dw.getMetaTableProducingTasks),
			"GetMetaTableBasicInfo":      meta(dw.getMetaTableBasicInfo),
			"GetMetaTableLineage":        meta(dw.getMetaTableLineage),
			"GetMetaColumnLineage":       meta(dw.getMetaColumnLineage),
			"ListLineage":                meta(dw.listLineage),
			"RegisterLineageRelation":    meta(dw.registerLineageRelation),
			"DeleteLineageRelation":      meta(dw.deleteLineageRelation),
			"GetNodeParents":             dw.nodeRelatives(true),
			"GetNodeChildren":            dw.nodeRelatives(false),
		}},
		{version: dataWorksVersion, served: svc.Catalog != nil, actions: map[string]action{
			"GetMetaTableColumn": meta(dw.getMetaTableColumn),
		}},
		{version: maxComputeVersion, served: true, actions: map[string]action{
			"CreateProject": mc.createProject,
			"GetProject":    mc.getProject,
			"DeleteProject": mc.deleteProject,
		}},
	}
}

// Action is one RPC action: its API version and name.
type Action struct {
	Version string // "2020-05-18" (DataWorks) or "2019-06-12" (MaxCompute)
	Name    string // e.g. "ListFiles"
}

// Actions lists every action New serves when it is given all its services, by version then name. The API
// coverage page (docs/coverage.md) is generated from it.
func Actions() []Action {
	var out []Action
	for _, g := range actionTable(Services{}) {
		for name := range g.actions {
			out = append(out, Action{Version: g.version, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Version != out[j].Version {
			return out[i].Version < out[j].Version
		}
		return out[i].Name < out[j].Name
	})
	return out
}
