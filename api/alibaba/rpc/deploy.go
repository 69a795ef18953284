package rpc

import (
	"context"
	"strconv"
	"strings"

	"github.com/sluice-dev/sluice"
)

// submitFile commits the draft and answers the deployment id as Data. SkipAllDeployFileExtensions is
// accepted (Sluice runs no pre-deploy checks) but must be a boolean.
func (dw dataWorks) submitFile(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "FileId")
	if err != nil {
		return nil, err
	}
	if _, err := p.boolean("SkipAllDeployFileExtensions"); err != nil {
		return nil, err
	}
	d, err := dw.Files.SubmitFile(ctx, ref, id, p.get("Comment"))
	if err != nil {
		return nil, err
	}
	return ok(d.ID), nil
}

// deployFile publishes the committed version of the file named by FileId or NodeId to PROD.
func (dw dataWorks) deployFile(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	var id int64
	if p.get("FileId") == "" && p.get("NodeId") != "" {
		f, err := dw.fileByIDOrNode(ctx, p, ref)
		if err != nil {
			return nil, err
		}
		id = f.ID
	} else if id, err = p.id("FileId"); err != nil {
		return nil, err
	}
	d, err := dw.Files.DeployFile(ctx, ref, id, p.get("Comment"))
	if err != nil {
		return nil, err
	}
	return ok(d.ID), nil
}

// Deployment is GetDeployment's Deployment: the OLD struct's fields (Id, Creator, Executor) and NEW's
// (CreatorId, HandlerId). Creator and handler are user ids.
type Deployment struct {
	ID              int64  `json:"Id"`
	Name            string `json:"Name"`
	Status          int    `json:"Status"`
	CheckingStatus  int    `json:"CheckingStatus"`
	ErrorMessage    string `json:"ErrorMessage"`
	CreateTime      int64  `json:"CreateTime"`
	ExecuteTime     int64  `json:"ExecuteTime"`
	Creator         string `json:"Creator"`
	CreatorID       string `json:"CreatorId"`
	Executor        string `json:"Executor"`
	HandlerID       string `json:"HandlerId"`
	FromEnvironment int    `json:"FromEnvironment"`
	ToEnvironment   int    `json:"ToEnvironment"`
}

type deployedItem struct {
	FileID      int64 `json:"FileId"`
	FileVersion int64 `json:"FileVersion"`
	Status      int   `json:"Status"`
}

type deploymentData struct {
	Deployment    Deployment     `json:"Deployment"`
	DeployedItems []deployedItem `json:"DeployedItems"`
}

// getDeployment: CheckingStatus is 0 because Sluice runs no pre-deploy checks (every check passed).
func (dw dataWorks) getDeployment(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "DeploymentId")
	if err != nil {
		return nil, err
	}
	d, err := dw.Files.FindDeployment(ctx, ref, id)
	if err != nil {
		return nil, err
	}
	out := deploymentData{Deployment: Deployment{ID: d.ID, Name: d.Name, Status: d.Status, ErrorMessage: d.ErrorMessage,
		CreateTime: ms(d.CreatedAt), ExecuteTime: ms(d.ExecutedAt), Creator: d.Creator, CreatorID: d.Creator,
		Executor: d.Handler, HandlerID: d.Handler, FromEnvironment: d.From, ToEnvironment: d.To},
		DeployedItems: make([]deployedItem, 0, len(d.Items))}
	for _, it := range d.Items {
		out.DeployedItems = append(out.DeployedItems, deployedItem{FileID: it.FileID, FileVersion: int64(it.FileVersion), Status: it.Status})
	}
	return ok(out), nil
}

// FileVersion is one committed version as ListFileVersions and GetFileVersion send it.
type FileVersion struct {
	FileVersion         int    `json:"FileVersion"`
	FileName            string `json:"FileName"`
	FileContent         string `json:"FileContent"`
	FilePropertyContent string `json:"FilePropertyContent"`
	NodeContent         string `json:"NodeContent"`
	NodeID              int64  `json:"NodeId"`
	CommitUser          string `json:"CommitUser"`
	CommitTime          int64  `json:"CommitTime"`
	Comment             string `json:"Comment"`
	ChangeType          string `json:"ChangeType"`
	Status              string `json:"Status"`
	IsCurrentProd       bool   `json:"IsCurrentProd"`
	UseType             string `json:"UseType"`
}

func wireVersion(v *sluice.FileVersion) FileVersion {
	return FileVersion{FileVersion: v.Version, FileName: v.Name, FileContent: v.Content, FilePropertyContent: wirePropertyContent(v),
		NodeContent: wireNodeContent(v.Schedule), NodeID: v.NodeID, CommitUser: v.CommitUser, CommitTime: ms(v.CommitTime), Comment: v.Comment,
		ChangeType: v.ChangeType, Status: v.Status, IsCurrentProd: v.IsCurrentProd, UseType: useTypeOr(v.UseType)}
}

type versionPage struct {
	PageNumber   int64         `json:"PageNumber"`
	PageSize     int64         `json:"PageSize"`
	TotalCount   int           `json:"TotalCount"`
	FileVersions []FileVersion `json:"FileVersions"`
}

func (dw dataWorks) listFileVersions(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "FileId")
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	vs, total, err := dw.Files.FindFileVersions(ctx, ref, id, offset(number, size), int(size))
	if err != nil {
		return nil, err
	}
	page := versionPage{PageNumber: number, PageSize: size, TotalCount: total, FileVersions: make([]FileVersion, 0, len(vs))}
	for _, v := range vs {
		page.FileVersions = append(page.FileVersions, wireVersion(v))
	}
	return ok(page), nil
}

func (dw dataWorks) getFileVersion(ctx context.Context, p params) (any, error) {
	ref, id, err := projectAndID(p, "FileId")
	if err != nil {
		return nil, err
	}
	version, err := p.id("FileVersion")
	if err != nil {
		return nil, err
	}
	if version > 1<<31-1 {
		return nil, invalid("FileVersion", "it is too large.")
	}
	v, err := dw.Files.FindFileVersion(ctx, ref, id, int(version))
	if err != nil {
		return nil, err
	}
	return ok(wireVersion(v)), nil
}

// node is a scheduler node as GetNode (Repeatability a string "true") and ListNodes (a bool) send it; the
// two differ only in that field's type, so it is an any.
type node struct {
	NodeID             int64  `json:"NodeId"`
	NodeName           string `json:"NodeName"`
	ProjectID          int64  `json:"ProjectId"`
	BusinessID         int64  `json:"BusinessId"`
	RelatedFlowID      int64  `json:"RelatedFlowId"`
	FileID             int64  `json:"FileId"`
	FileType           int    `json:"FileType"`
	FileVersion        int    `json:"FileVersion"`
	ProgramType        string `json:"ProgramType"`
	OwnerID            string `json:"OwnerId"`
	Owner              string `json:"Owner"`
	CronExpress        string `json:"CronExpress"`
	ParamValues        string `json:"ParamValues"`
	SchedulerType      string `json:"SchedulerType"`
	Priority           int    `json:"Priority"`
	RepeatMode         int    `json:"RepeatMode"`
	RepeatInterval     int64  `json:"RepeatInterval"`
	Repeatability      any    `json:"Repeatability"`
	Connection         string `json:"Connection"`
	ResGroupName       string `json:"ResGroupName"`
	ResGroupIdentifier string `json:"ResGroupIdentifier"`
	BaselineID         int64  `json:"BaselineId"`
	DqcType            int    `json:"DqcType"`
	DqcDescription     string `json:"DqcDescription"`
	Description        string `json:"Description"`
	CreateTime         int64  `json:"CreateTime"`
	ModifyTime         int64  `json:"ModifyTime"`
	DeployDate         int64  `json:"DeployDate"`
}

// wireNode renders a node. RepeatMode follows RerunMode (0 rerun after failure only, 1 always, 2 never;
// default always), Priority is the vendor's default 1, and DeployDate is the last deployment, PROD only.
func wireNode(n *sluice.Node, repeatAsString bool) node {
	s := n.Schedule
	mode := 1
	switch s.RerunMode {
	case "FAILURE_ALLOWED":
		mode = 0
	case "ALL_DENIED":
		mode = 2
	}
	var repeat any = mode != 2
	if repeatAsString {
		repeat = strconv.FormatBool(mode != 2)
	}
	schedType := s.SchedulerType
	if schedType == "" {
		schedType = "NORMAL"
	}
	w := node{NodeID: n.ID, NodeName: n.Name, ProjectID: n.ProjectID, BusinessID: n.WorkflowID, RelatedFlowID: n.WorkflowID,
		FileID: n.FileID, FileType: n.FileType, FileVersion: n.FileVersion, ProgramType: programType(n.FileType),
		OwnerID: n.Owner, Owner: n.Owner, CronExpress: s.CronExpress, ParamValues: s.ParaValue, SchedulerType: schedType,
		Priority: 1, RepeatMode: mode, RepeatInterval: int64(s.AutoRerunIntervalMillis), Repeatability: repeat,
		ResGroupIdentifier: s.ResourceGroupIdentifier, ResGroupName: s.ResourceGroupIdentifier, Description: n.Description,
		CreateTime: ms(n.CreatedAt), ModifyTime: ms(n.UpdatedAt)}
	if n.Env == sluice.EnvProd {
		w.DeployDate = ms(n.UpdatedAt)
	}
	return w
}

func (p params) projectEnv() (sluice.Env, error) {
	if _, err := p.required("ProjectEnv"); err != nil {
		return "", err
	}
	env, err := p.enum("ProjectEnv", string(sluice.EnvProd), string(sluice.EnvDev))
	return sluice.Env(env), err
}

// getNode finds a node by id alone (GetNode names no workspace). Connection is the file's data source,
// read from the file since sluice.Node does not carry it.
func (dw dataWorks) getNode(ctx context.Context, p params) (any, error) {
	id, err := p.id("NodeId")
	if err != nil {
		return nil, err
	}
	env, err := p.projectEnv()
	if err != nil {
		return nil, err
	}
	n, err := dw.Files.FindNode(ctx, id, env)
	if err != nil {
		return nil, err
	}
	w := wireNode(n, true)
	if f, err := dw.Files.FindFile(ctx, sluice.ProjectByID(n.ProjectID), n.FileID); err == nil {
		w.Connection = f.ConnectionName
	}
	return ok(w), nil
}

type nodePage struct {
	PageNumber int64  `json:"PageNumber"`
	PageSize   int64  `json:"PageSize"`
	TotalCount int    `json:"TotalCount"`
	Nodes      []node `json:"Nodes"`
}

// listNodes: ProjectId is required by the vendor; ProjectIdentifier is accepted too.
func (dw dataWorks) listNodes(ctx context.Context, p params) (any, error) {
	ref, err := projectRef(p)
	if err != nil {
		return nil, err
	}
	env, err := p.projectEnv()
	if err != nil {
		return nil, err
	}
	number, size, err := p.page(10, 100)
	if err != nil {
		return nil, err
	}
	owner := strings.TrimSpace(p.get("Owner")) // a user id that names nobody selects nothing
	sched, err := p.enum("SchedulerType", sluice.SchedulerTypes...)
	if err != nil {
		return nil, err
	}
	f := sluice.NodeFilter{Env: env, Name: p.get("NodeName"), Owner: owner, WorkflowName: p.get("BizName"), SchedulerType: sched,
		Offset: offset(number, size), Limit: int(size)}
	if pt := strings.TrimSpace(p.get("ProgramType")); pt != "" {
		code := -1
		for _, t := range sluice.FileTypes {
			if strings.EqualFold(t.ProgramType, pt) {
				code = t.Code
			}
		}
		if code < 0 {
			return nil, invalid("ProgramType", "%q is not a known program type (ODPS_SQL, DIDE_SHELL, PYODPS3, ...).", pt)
		}
		f.FileType = &code
	}
	nodes, total, err := dw.Files.FindNodes(ctx, ref, f)
	if err != nil {
		return nil, err
	}
	page := nodePage{PageNumber: number, PageSize: size, TotalCount: total, Nodes: make([]node, 0, len(nodes))}
	for _, n := range nodes {
		page.Nodes = append(page.Nodes, wireNode(n, false))
	}
	return ok(page), nil
}
