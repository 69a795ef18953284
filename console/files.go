package console

// The files area: a project's scripts as DataWorks DataStudio shows them — the folder tree (workflows, then
// their folders), the files of a folder or a name search, one file with its schedule, nodes and commit and
// deploy state, its versions, and the changes a developer makes (save the draft, commit it as a version,
// deploy the committed version to production). Every read and change is the FileService's, with the
// signed-in user as the caller, so what a user may see and do is decided by the core.

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/sluice-dev/sluice"
)

// FileFolder is a node of the folder tree: a workflow (the tree's top level) or a folder inside one.
type FileFolder struct {
	ID   string `json:"id"`
	Path string `json:"path"` // what ?parent= and ?folder= take
	Name string `json:"name"`
	Kind string `json:"kind"` // "workflow" or "folder"
}

// FileSummary is a file in a list: no content.
type FileSummary struct {
	ID               int64     `json:"id"`
	Name             string    `json:"name"`
	FolderPath       string    `json:"folderPath"`
	Type             int       `json:"type"`
	TypeName         string    `json:"typeName"`
	Language         string    `json:"language"` // "sql", "shell", "python" or "": how the page highlights it
	UseType          string    `json:"useType"`
	CommitStatus     int       `json:"commitStatus"` // 0 uncommitted changes (or never committed), 1 committed
	CurrentVersion   int       `json:"currentVersion"`
	NodeID           int64     `json:"nodeId"`
	Owner            string    `json:"owner"` // user id
	OwnerName        string    `json:"ownerName"`
	LastEditUser     string    `json:"lastEditUser"`
	LastEditUserName string    `json:"lastEditUserName"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

// FileDetail is one file with its draft, schedule, nodes and state.
type FileDetail struct {
	FileSummary
	Description    string       `json:"description"`
	Content        string       `json:"content"`
	ConnectionName string       `json:"connectionName"`
	CreateUser     string       `json:"createUser"`
	CreatedAt      time.Time    `json:"createdAt"`
	Schedule       FileSchedule `json:"schedule"`
	DevNode        *FileNode    `json:"devNode"`  // null before the first commit
	ProdNode       *FileNode    `json:"prodNode"` // null until deployed
	State          FileState    `json:"state"`
}

// FileState sums up where the file stands between its draft, DEV and PROD.
type FileState struct {
	Committed     bool `json:"committed"`     // a version exists
	DraftChanged  bool `json:"draftChanged"`  // the draft differs from the last committed version (or none exists)
	Deployed      bool `json:"deployed"`      // a version is in production
	ProdVersion   int  `json:"prodVersion"`   // the version in production, 0 when none
	ProdUpToDate  bool `json:"prodUpToDate"`  // production runs the last committed version
	LatestVersion int  `json:"latestVersion"` // = currentVersion, for the page's links
}

// FileSchedule is a file's or node's scheduling configuration.
type FileSchedule struct {
	CycleType                string                `json:"cycleType"`
	CronExpress              string                `json:"cronExpress"`
	DependentType            string                `json:"dependentType"`
	DependentNodeIDList      string                `json:"dependentNodeIdList"`
	ParaValue                string                `json:"paraValue"`
	RerunMode                string                `json:"rerunMode"`
	SchedulerType            string                `json:"schedulerType"`
	ResourceGroupIdentifier  string                `json:"resourceGroupIdentifier"`
	ResourceGroupID          int64                 `json:"resourceGroupId"`
	StartEffectDate          *time.Time            `json:"startEffectDate"`
	EndEffectDate            *time.Time            `json:"endEffectDate"`
	AutoRerunTimes           int                   `json:"autoRerunTimes"`
	AutoRerunIntervalMillis  int                   `json:"autoRerunIntervalMillis"`
	Timeout                  int                   `json:"timeout"`
	Stop                     bool                  `json:"stop"`
	StartImmediately         bool                  `json:"startImmediately"`
	ApplyScheduleImmediately bool                  `json:"applyScheduleImmediately"`
	Inputs                   []FileNodeIO          `json:"inputs"`
	Outputs                  []FileNodeIO          `json:"outputs"`
	InputParameters          []FileInputParameter  `json:"inputParameters"`
	OutputParameters         []FileOutputParameter `json:"outputParameters"`
}

// FileNodeIO is an upstream input or an output of a node.
type FileNodeIO struct {
	Name      string `json:"name"`
	RefTable  string `json:"refTable"`
	ParseType string `json:"parseType"`
}

// FileInputParameter is a context parameter read from upstream.
type FileInputParameter struct {
	ParameterName string `json:"parameterName"`
	ValueSource   string `json:"valueSource"`
}

// FileOutputParameter is a context parameter passed downstream.
type FileOutputParameter struct {
	ParameterName string `json:"parameterName"`
	Type          string `json:"type"`
	Value         string `json:"value"`
	Description   string `json:"description"`
}

// FileNode is a file's scheduled task in one environment.
type FileNode struct {
	ID            int64     `json:"id"`
	Env           string    `json:"env"`
	FileVersion   int       `json:"fileVersion"`
	Name          string    `json:"name"`
	Owner         string    `json:"owner"`
	SchedulerType string    `json:"schedulerType"`
	CronExpress   string    `json:"cronExpress"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

// FileVersionOut is a committed version; content only when one version is asked for.
type FileVersionOut struct {
	FileID        int64     `json:"fileId"`
	Version       int       `json:"version"`
	Name          string    `json:"name"`
	ChangeType    string    `json:"changeType"`
	Status        string    `json:"status"`
	Comment       string    `json:"comment"`
	Committer     string    `json:"committer"`
	CommitterName string    `json:"committerName"`
	CommitTime    time.Time `json:"commitTime"`
	NodeID        int64     `json:"nodeId"`
	IsCurrentProd bool      `json:"isCurrentProd"`
	Type          int       `json:"type"`
	Language      string    `json:"language"`
	Content       *string   `json:"content,omitempty"`
}

// FileDeployment is a commit (LOCAL → DEV) or a deploy (DEV → PROD).
type FileDeployment struct {
	ID           int64              `json:"id"`
	Name         string             `json:"name"`
	Status       string             `json:"status"` // READY, SUCCESS or FAILED
	Creator      string             `json:"creator"`
	From         string             `json:"from"` // LOCAL, DEV or PROD
	To           string             `json:"to"`
	ErrorMessage string             `json:"errorMessage"`
	CreatedAt    time.Time          `json:"createdAt"`
	ExecutedAt   *time.Time         `json:"executedAt"`
	Items        []FileDeployedItem `json:"items"`
}

// FileDeployedItem is one file version in a deployment.
type FileDeployedItem struct {
	FileID      int64 `json:"fileId"`
	FileVersion int   `json:"fileVersion"`
	Status      int   `json:"status"`
}

// FileDeployResult answers a commit or a deploy: what was recorded and the file as it now stands.
type FileDeployResult struct {
	Deployment FileDeployment `json:"deployment"`
	File       FileDetail     `json:"file"`
}

// FileEdit is the body of PUT …/files/{id}: the fields to change.
type FileEdit struct {
	Content     *string `json:"content"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

// FileActionRequest is the body of a commit or a deploy.
type FileActionRequest struct {
	Comment string `json:"comment"`
}

// maxDeployComment bounds a commit or deploy comment, which is shown in lists.
const maxDeployComment = 1000

func (s *server) fileRoutes(api func(string, handler)) {
	api("GET /console/api/projects/{project}/folders", s.fileFolders)
	api("GET /console/api/projects/{project}/files", s.fileList)
	api("GET /console/api/projects/{project}/files/{id}", s.fileGet)
	api("PUT /console/api/projects/{project}/files/{id}", s.fileUpdate)
	api("POST /console/api/projects/{project}/files/{id}/commit", s.fileCommit)
	api("POST /console/api/projects/{project}/files/{id}/deploy", s.fileDeploy)
	api("GET /console/api/projects/{project}/files/{id}/versions", s.fileVersions)
	api("GET /console/api/projects/{project}/files/{id}/versions/{version}", s.fileVersion)
}

// fileFolders lists the children of ?parent=: the project's workflows at the top ("" or absent), the
// folders below a workflow or folder path otherwise.
func (s *server) fileFolders(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	offset, limit, err := filePage(r, 200)
	if err != nil {
		return nil, err
	}
	parent := r.URL.Query().Get("parent")
	if parent == "" {
		wfs, total, err := s.Files.FindWorkflows(ctx, projectRef(r), sluice.WorkflowFilter{Offset: offset, Limit: limit})
		if err != nil {
			return nil, err
		}
		page := Page[FileFolder]{Items: make([]FileFolder, 0, len(wfs)), TotalCount: total}
		for _, w := range wfs {
			// A workflow's folder path takes the first spelling of the root; every spelling names the same.
			page.Items = append(page.Items, FileFolder{ID: strconv.FormatInt(w.ID, 10), Path: sluice.FolderRoots[0] + "/" + w.Name, Name: w.Name, Kind: "workflow"})
		}
		return page, nil
	}
	folders, total, err := s.Files.FindFolders(ctx, projectRef(r), parent, offset, limit)
	if err != nil {
		return nil, err
	}
	page := Page[FileFolder]{Items: make([]FileFolder, 0, len(folders)), TotalCount: total}
	for _, f := range folders {
		page.Items = append(page.Items, FileFolder{ID: f.ID, Path: f.Path, Name: folderName(f.Path), Kind: "folder"})
	}
	return page, nil
}

// fileList pages through the files of ?folder= ("/" the project's root; absent: every folder), those
// whose name contains ?keyword= when given.
func (s *server) fileList(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	offset, limit, err := filePage(r, 100)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	var folder *string
	if q.Has("folder") {
		v := q.Get("folder")
		folder = &v
	}
	files, total, err := s.Files.FindFiles(ctx, projectRef(r), folder, sluice.FileFilter{Keyword: q.Get("keyword"), Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	names := s.fileUserNames()
	page := Page[FileSummary]{Items: make([]FileSummary, 0, len(files)), TotalCount: total}
	for _, f := range files {
		page.Items = append(page.Items, fileSummary(ctx, f, names))
	}
	return page, nil
}

func (s *server) fileGet(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	id, err := pathInt64(r, "id")
	if err != nil {
		return nil, err
	}
	f, err := s.Files.FindFile(ctx, projectRef(r), id)
	if err != nil {
		return nil, err
	}
	return s.fileDetail(ctx, f)
}

// fileUpdate saves the draft: content, name or description.
func (s *server) fileUpdate(ctx context.Context, r *http.Request, body []byte) (any, error) {
	id, err := pathInt64(r, "id")
	if err != nil {
		return nil, err
	}
	var in FileEdit
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Content == nil && in.Name == nil && in.Description == nil {
		return nil, sluice.Errorf(sluice.EINVALID, "Give the content, name or description to change.")
	}
	f, err := s.Files.UpdateFile(ctx, projectRef(r), id, sluice.FileUpdate{Content: in.Content, Name: in.Name, Description: in.Description})
	if err != nil {
		return nil, err
	}
	return s.fileDetail(ctx, f)
}

// fileCommit commits the draft as a new version (DataWorks SubmitFile): LOCAL → DEV.
func (s *server) fileCommit(ctx context.Context, r *http.Request, body []byte) (any, error) {
	return s.fileAction(ctx, r, body, s.Files.SubmitFile)
}

// fileDeploy publishes the last committed version to production (DataWorks DeployFile): DEV → PROD.
func (s *server) fileDeploy(ctx context.Context, r *http.Request, body []byte) (any, error) {
	return s.fileAction(ctx, r, body, s.Files.DeployFile)
}

func (s *server) fileAction(ctx context.Context, r *http.Request, body []byte,
	act func(context.Context, sluice.ProjectRef, int64, string) (*sluice.Deployment, error)) (any, error) {
	id, err := pathInt64(r, "id")
	if err != nil {
		return nil, err
	}
	var in FileActionRequest
	if len(body) > 0 {
		if err := decode(body, &in); err != nil {
			return nil, err
		}
	}
	if len([]rune(in.Comment)) > maxDeployComment {
		return nil, sluice.Errorf(sluice.EINVALID, "The comment is longer than %d characters.", maxDeployComment)
	}
	d, err := act(ctx, projectRef(r), id, in.Comment)
	if err != nil {
		return nil, err
	}
	f, err := s.Files.FindFile(ctx, projectRef(r), id)
	if err != nil {
		return nil, err
	}
	detail, err := s.fileDetail(ctx, f)
	if err != nil {
		return nil, err
	}
	return FileDeployResult{Deployment: fileDeploymentOut(d), File: *detail}, nil
}

// fileVersions pages through a file's versions, newest first.
func (s *server) fileVersions(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	id, err := pathInt64(r, "id")
	if err != nil {
		return nil, err
	}
	offset, limit, err := filePage(r, 50)
	if err != nil {
		return nil, err
	}
	// The file is read first so that a file that does not exist answers 404 rather than an empty list.
	f, err := s.Files.FindFile(ctx, projectRef(r), id)
	if err != nil {
		return nil, err
	}
	vs, total, err := s.Files.FindFileVersions(ctx, projectRef(r), id, offset, limit)
	if err != nil {
		return nil, err
	}
	names := s.fileUserNames()
	page := Page[FileVersionOut]{Items: make([]FileVersionOut, 0, len(vs)), TotalCount: total}
	for _, v := range vs {
		page.Items = append(page.Items, fileVersionOut(ctx, v, f.Type, names, false))
	}
	return page, nil
}

func (s *server) fileVersion(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	id, err := pathInt64(r, "id")
	if err != nil {
		return nil, err
	}
	n, err := pathInt64(r, "version")
	if err != nil {
		return nil, err
	}
	if n > 1<<31-1 {
		return nil, sluice.Errorf(sluice.EINVALID, "version must be a positive whole number below 2147483648.")
	}
	f, err := s.Files.FindFile(ctx, projectRef(r), id)
	if err != nil {
		return nil, err
	}
	v, err := s.Files.FindFileVersion(ctx, projectRef(r), id, int(n))
	if err != nil {
		return nil, err
	}
	return fileVersionOut(ctx, v, f.Type, s.fileUserNames(), true), nil
}

// fileDetail adds to a file its nodes and state.
func (s *server) fileDetail(ctx context.Context, f *sluice.File) (*FileDetail, error) {
	d := &FileDetail{FileSummary: fileSummary(ctx, f, s.fileUserNames()), Description: f.Description, Content: f.Content,
		ConnectionName: f.ConnectionName, CreateUser: f.CreateUser, CreatedAt: f.CreatedAt, Schedule: fileScheduleOut(f.Schedule)}
	if f.NodeID != 0 {
		for _, env := range []sluice.Env{sluice.EnvDev, sluice.EnvProd} {
			n, err := s.Files.FindNode(ctx, f.NodeID, env)
			if sluice.ErrorCode(err) == sluice.ENOTFOUND {
				continue // not committed or not deployed in that environment
			}
			if err != nil {
				return nil, err
			}
			if env == sluice.EnvDev {
				d.DevNode = fileNodeOut(n)
			} else {
				d.ProdNode = fileNodeOut(n)
			}
		}
	}
	d.State = FileState{Committed: f.CurrentVersion > 0, DraftChanged: f.CommitStatus != sluice.Committed, LatestVersion: f.CurrentVersion}
	if d.ProdNode != nil {
		d.State.Deployed, d.State.ProdVersion = true, d.ProdNode.FileVersion
		d.State.ProdUpToDate = d.ProdNode.FileVersion == f.CurrentVersion
	}
	return d, nil
}

// fileUserNames resolves the user ids files name (owner, editor, committer) to names, once each per request; an
// id the caller cannot resolve shows as itself.
func (s *server) fileUserNames() func(ctx context.Context, id string) string {
	cache := map[string]string{}
	return func(ctx context.Context, id string) string {
		if id == "" || s.Identity == nil {
			return id
		}
		if n, ok := cache[id]; ok {
			return n
		}
		name := id
		if _, ok := sluice.ParseUserID(id); ok {
			if u, err := s.Identity.FindUser(ctx, id); err == nil {
				name = u.Name
			}
		}
		cache[id] = name
		return name
	}
}

func fileSummary(ctx context.Context, f *sluice.File, names func(context.Context, string) string) FileSummary {
	return FileSummary{ID: f.ID, Name: f.Name, FolderPath: f.FolderPath, Type: f.Type, TypeName: fileTypeName(f.Type), Language: fileLanguage(f.Type),
		UseType: string(f.UseType), CommitStatus: f.CommitStatus, CurrentVersion: f.CurrentVersion, NodeID: f.NodeID,
		Owner: f.Owner, OwnerName: names(ctx, f.Owner), LastEditUser: f.LastEditUser, LastEditUserName: names(ctx, f.LastEditUser),
		UpdatedAt: f.UpdatedAt}
}

func fileVersionOut(ctx context.Context, v *sluice.FileVersion, fileType int, names func(context.Context, string) string, content bool) FileVersionOut {
	out := FileVersionOut{FileID: v.FileID, Version: v.Version, Name: v.Name, ChangeType: v.ChangeType, Status: v.Status, Comment: v.Comment,
		Committer: v.CommitUser, CommitterName: names(ctx, v.CommitUser), CommitTime: v.CommitTime, NodeID: v.NodeID,
		IsCurrentProd: v.IsCurrentProd, Type: v.Properties.Type, Language: fileLanguage(v.Properties.Type)}
	if out.Type == 0 {
		out.Type, out.Language = fileType, fileLanguage(fileType)
	}
	if content {
		c := v.Content
		out.Content = &c
	}
	return out
}

func fileNodeOut(n *sluice.Node) *FileNode {
	return &FileNode{ID: n.ID, Env: string(n.Env), FileVersion: n.FileVersion, Name: n.Name, Owner: n.Owner,
		SchedulerType: n.Schedule.SchedulerType, CronExpress: n.Schedule.CronExpress, UpdatedAt: n.UpdatedAt}
}

func fileScheduleOut(sc sluice.Schedule) FileSchedule {
	out := FileSchedule{CycleType: sc.CycleType, CronExpress: sc.CronExpress, DependentType: sc.DependentType,
		DependentNodeIDList: sc.DependentNodeIDList, ParaValue: sc.ParaValue, RerunMode: sc.RerunMode, SchedulerType: sc.SchedulerType,
		ResourceGroupIdentifier: sc.ResourceGroupIdentifier, ResourceGroupID: sc.ResourceGroupID,
		StartEffectDate: scheduleTime(sc.StartEffectDate), EndEffectDate: scheduleTime(sc.EndEffectDate),
		AutoRerunTimes: sc.AutoRerunTimes, AutoRerunIntervalMillis: sc.AutoRerunIntervalMillis, Timeout: sc.Timeout,
		Stop: sc.Stop, StartImmediately: sc.StartImmediately, ApplyScheduleImmediately: sc.ApplyScheduleImmediately,
		Inputs: []FileNodeIO{}, Outputs: []FileNodeIO{}, InputParameters: []FileInputParameter{}, OutputParameters: []FileOutputParameter{}}
	for _, io := range sc.Inputs {
		out.Inputs = append(out.Inputs, FileNodeIO{Name: io.Name, RefTable: io.RefTable, ParseType: io.ParseType})
	}
	for _, io := range sc.Outputs {
		out.Outputs = append(out.Outputs, FileNodeIO{Name: io.Name, RefTable: io.RefTable, ParseType: io.ParseType})
	}
	for _, p := range sc.InputParameters {
		out.InputParameters = append(out.InputParameters, FileInputParameter{ParameterName: p.ParameterName, ValueSource: p.ValueSource})
	}
	for _, p := range sc.OutputParameters {
		out.OutputParameters = append(out.OutputParameters, FileOutputParameter{ParameterName: p.ParameterName, Type: p.Type, Value: p.Value, Description: p.Description})
	}
	return out
}

func fileDeploymentOut(d *sluice.Deployment) FileDeployment {
	out := FileDeployment{ID: d.ID, Name: d.Name, Status: deployStatus(d.Status), Creator: d.Creator, From: deployEnv(d.From), To: deployEnv(d.To),
		ErrorMessage: d.ErrorMessage, CreatedAt: d.CreatedAt, Items: make([]FileDeployedItem, 0, len(d.Items))}
	if !d.ExecutedAt.IsZero() {
		t := d.ExecutedAt
		out.ExecutedAt = &t
	}
	for _, it := range d.Items {
		out.Items = append(out.Items, FileDeployedItem{FileID: it.FileID, FileVersion: it.FileVersion, Status: it.Status})
	}
	return out
}

func deployStatus(s int) string {
	switch s {
	case sluice.DeploymentReady:
		return "READY"
	case sluice.DeploymentSuccess:
		return "SUCCESS"
	case sluice.DeploymentFailed:
		return "FAILED"
	}
	return strconv.Itoa(s)
}

func deployEnv(code int) string {
	switch code {
	case sluice.EnvCodeLocal:
		return "LOCAL"
	case sluice.EnvCodeDev:
		return "DEV"
	case sluice.EnvCodeProd:
		return "PROD"
	}
	return strconv.Itoa(code)
}

// scheduleTime reads a schedule's millisecond epoch, 0 meaning unset.
func scheduleTime(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := time.UnixMilli(ms).UTC()
	return &t
}

func fileTypeName(code int) string {
	if t, ok := sluice.FileTypeByCode(code); ok {
		return t.Name
	}
	return "Type " + strconv.Itoa(code)
}

// language is the editor mode of a file type: SQL for the types with a lineage dialect, the shells, Python
// for PyODPS.
func fileLanguage(code int) string {
	t, ok := sluice.FileTypeByCode(code)
	switch {
	case !ok:
		return ""
	case t.SQL != "" || code == 259 || code == 260 || code == 1091: // Presto, Impala and Hologres are SQL too
		return "sql"
	case code == 6 || code == 257 || code == 258:
		return "shell"
	case code == 221 || code == 1221:
		return "python"
	}
	return ""
}

// filePage reads ?offset= and ?limit= (at most 1000).
func filePage(r *http.Request, defLimit int) (offset, limit int, err error) {
	if offset, err = intParam(r, "offset", 0, 0, 1<<31-1); err != nil {
		return 0, 0, err
	}
	if limit, err = intParam(r, "limit", defLimit, 1, 1000); err != nil {
		return 0, 0, err
	}
	return offset, limit, nil
}

func folderName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
