package core

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
)

var _ sluice.FileService = (*Service)(nil)

// userID is how the DataWorks face names users: the numeric user id in decimal (the vendor's account ids).
func userID(u *sluice.User) string { return strconv.FormatInt(u.ID, 10) }

// checkName validates the name of a workflow, folder segment or file.
func checkName(what, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return sluice.Errorf(sluice.EINVALID, "The %s name must not be empty.", what)
	case utf8.RuneCountInString(name) > 128:
		return sluice.Errorf(sluice.EINVALID, "The %s name %q is longer than 128 characters.", what, name)
	case strings.ContainsAny(name, "/\\\x00"):
		return sluice.Errorf(sluice.EINVALID, "The %s name %q must not contain '/' or '\\'.", what, name)
	case name != strings.TrimSpace(name):
		return sluice.Errorf(sluice.EINVALID, "The %s name %q must not start or end with spaces.", what, name)
	}
	return nil
}

// folderPath is a parsed folder path: <root>/<workflow>/<kind>/<dir>...
type folderPath struct {
	root     string   // the root spelling used
	segments []string // after the root: workflow, kind, dirs
}

func (p folderPath) key() string      { return strings.Join(p.segments, "/") }
func (p folderPath) workflow() string { return p.segments[0] }

// parseFolderPath parses a folder path. minDepth is the least number of segments after the root: 1 for
// a workflow's own folder, 2 for a real folder (workflow and kind). Leading and trailing slashes are ignored.
func parseFolderPath(path string, minDepth int) (folderPath, error) {
	trimmed := strings.Trim(strings.TrimSpace(path), "/")
	parts := strings.Split(trimmed, "/")
	root := parts[0]
	known := false
	for _, r := range sluice.FolderRoots {
		if strings.EqualFold(root, r) {
			known = true
			break
		}
	}
	if !known {
		return folderPath{}, sluice.Errorf(sluice.EINVALID,
			"The folder path %q must start with one of %s.", path, strings.Join(sluice.FolderRoots, ", "))
	}
	segs := parts[1:]
	if len(segs) < minDepth {
		return folderPath{}, sluice.Errorf(sluice.EINVALID,
			"The folder path %q must name a workflow and a kind folder: <root>/<workflow>/<kind>[/<dir>...].", path)
	}
	for _, s := range segs {
		if err := checkName("folder", s); err != nil {
			return folderPath{}, sluice.Errorf(sluice.EINVALID, "The folder path %q has an invalid segment %q.", path, s)
		}
	}
	return folderPath{root: root, segments: segs}, nil
}

// project authorizes the caller and returns the project.
func (s *Service) project(ctx context.Context, ref sluice.ProjectRef, access sluice.Access) (*sluice.Project, *sluice.User, error) {
	p, err := s.Authorize(ctx, ref, access)
	if err != nil {
		return nil, nil, err
	}
	u, _ := caller(ctx)
	return p, u, nil
}

// CreateWorkflow creates a workflow owned by w.Owner, or by the caller.
func (s *Service) CreateWorkflow(ctx context.Context, ref sluice.ProjectRef, w sluice.Workflow) (*sluice.Workflow, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if err := checkName("workflow", w.Name); err != nil {
		return nil, err
	}
	if w.UseType == "" {
		w.UseType = sluice.UseNormal
	}
	if w.UseType != sluice.UseNormal && w.UseType != sluice.UseManualBiz {
		return nil, sluice.Errorf(sluice.EINVALID, "The workflow UseType %q is invalid: use NORMAL or MANUAL_BIZ.", w.UseType)
	}
	if w.Owner == "" {
		w.Owner = userID(u)
	}
	w.ID, w.ProjectID = 0, p.ID
	if err := s.store.CreateWorkflow(ctx, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// FindWorkflow returns a workflow.
func (s *Service) FindWorkflow(ctx context.Context, ref sluice.ProjectRef, id int64) (*sluice.Workflow, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindWorkflow(ctx, p.ID, id)
}

// FindWorkflows lists a project's workflows.
func (s *Service) FindWorkflows(ctx context.Context, ref sluice.ProjectRef, f sluice.WorkflowFilter) ([]*sluice.Workflow, int, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	f.ProjectID = p.ID
	return s.store.FindWorkflows(ctx, f)
}

// UpdateWorkflow changes a workflow; a new name moves its folders.
func (s *Service) UpdateWorkflow(ctx context.Context, ref sluice.ProjectRef, id int64, u sluice.WorkflowUpdate) (*sluice.Workflow, error) {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if u.Name != nil {
		if err := checkName("workflow", *u.Name); err != nil {
			return nil, err
		}
	}
	return s.store.UpdateWorkflow(ctx, p.ID, id, u)
}

// DeleteWorkflow deletes an empty workflow.
func (s *Service) DeleteWorkflow(ctx context.Context, ref sluice.ProjectRef, id int64) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	return s.store.DeleteWorkflow(ctx, p.ID, id)
}

// createFolder creates the folder at fp (and its ancestors) in project p.
func (s *Service) createFolder(ctx context.Context, p *sluice.Project, fp folderPath) (*sluice.Folder, error) {
	w, err := s.store.FindWorkflowByName(ctx, p.ID, fp.workflow())
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Workflow %q does not exist in project %s.", fp.workflow(), p.Name)
	}
	if err != nil {
		return nil, err
	}
	return s.store.CreateFolders(ctx, p.ID, w.ID, fp.root, fp.key())
}

// CreateFolder creates a folder and any missing ancestors below its workflow.
func (s *Service) CreateFolder(ctx context.Context, ref sluice.ProjectRef, path string) (*sluice.Folder, error) {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	fp, err := parseFolderPath(path, 2)
	if err != nil {
		return nil, err
	}
	return s.createFolder(ctx, p, fp)
}

// FindFolder finds a folder by id, or by path.
func (s *Service) FindFolder(ctx context.Context, ref sluice.ProjectRef, id, path string) (*sluice.Folder, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	if id != "" {
		return s.store.FindFolder(ctx, p.ID, id)
	}
	fp, err := parseFolderPath(path, 2)
	if err != nil {
		return nil, err
	}
	return s.store.FindFolderByKey(ctx, p.ID, fp.key())
}

// FindFolders lists the direct sub-folders of a path; the parent may be a workflow's own path.
func (s *Service) FindFolders(ctx context.Context, ref sluice.ProjectRef, parentPath string, offset, limit int) ([]*sluice.Folder, int, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	fp, err := parseFolderPath(parentPath, 1)
	if err != nil {
		return nil, 0, err
	}
	if len(fp.segments) == 1 {
		if _, err := s.store.FindWorkflowByName(ctx, p.ID, fp.workflow()); err != nil {
			if sluice.ErrorCode(err) == sluice.ENOTFOUND {
				return nil, 0, sluice.Errorf(sluice.ENOTFOUND, "Workflow %q does not exist in project %s.", fp.workflow(), p.Name)
			}
			return nil, 0, err
		}
	} else if _, err := s.store.FindFolderByKey(ctx, p.ID, fp.key()); err != nil {
		return nil, 0, err
	}
	return s.store.FindFolders(ctx, p.ID, fp.key(), offset, limit)
}

// RenameFolder gives a folder a new last segment, moving everything under it.
func (s *Service) RenameFolder(ctx context.Context, ref sluice.ProjectRef, id, name string) (*sluice.Folder, error) {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if err := checkName("folder", name); err != nil {
		return nil, err
	}
	return s.store.RenameFolder(ctx, p.ID, id, name)
}

// DeleteFolder deletes an empty folder.
func (s *Service) DeleteFolder(ctx context.Context, ref sluice.ProjectRef, id string) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	return s.store.DeleteFolder(ctx, p.ID, id)
}

// checkSchedule validates the limits the vendor documents for a schedule.
func checkSchedule(sc *sluice.Schedule) error {
	switch {
	case sc.AutoRerunTimes < 0 || sc.AutoRerunTimes > 10:
		return sluice.Errorf(sluice.EINVALID, "AutoRerunTimes must be between 0 and 10.")
	case sc.AutoRerunIntervalMillis < 0 || sc.AutoRerunIntervalMillis > 1800000:
		return sluice.Errorf(sluice.EINVALID, "AutoRerunIntervalMillis must be between 0 and 1800000.")
	case sc.Timeout < 0:
		return sluice.Errorf(sluice.EINVALID, "Timeout must not be negative.")
	case sc.StartEffectDate != 0 && sc.EndEffectDate != 0 && sc.EndEffectDate < sc.StartEffectDate:
		return sluice.Errorf(sluice.EINVALID, "EndEffectDate is before StartEffectDate.")
	}
	for _, v := range []struct{ name, value string }{
		{"CycleType", sc.CycleType}, {"RerunMode", sc.RerunMode}, {"SchedulerType", sc.SchedulerType}, {"DependentType", sc.DependentType},
	} {
		if v.value != "" && !oneOf(v.value, allowed[v.name]...) {
			return sluice.Errorf(sluice.EINVALID, "%s %q is invalid: use one of %s.", v.name, v.value, strings.Join(allowed[v.name], ", "))
		}
	}
	return nil
}

// allowed are the enumerations of spec §3.3 that a schedule may name.
var allowed = map[string][]string{
	"CycleType":     {"DAY", "NOT_DAY"},
	"RerunMode":     {"ALL_ALLOWED", "FAILURE_ALLOWED", "ALL_DENIED"},
	"SchedulerType": {"NORMAL", "MANUAL", "PAUSE", "SKIP"},
	"DependentType": {"SELF", "CHILD", "USER_DEFINE", "NONE", "USER_DEFINE_AND_SELF"},
}

func oneOf(v string, options ...string) bool {
	for _, o := range options {
		if v == o {
			return true
		}
	}
	return false
}

// placeFile resolves a folder path for a file: "" is the project's root (no workflow).
func (s *Service) placeFile(ctx context.Context, p *sluice.Project, path string, create bool) (*sluice.Folder, error) {
	if strings.Trim(strings.TrimSpace(path), "/") == "" {
		return nil, nil
	}
	fp, err := parseFolderPath(path, 2)
	if err != nil {
		return nil, err
	}
	folder, err := s.store.FindFolderByKey(ctx, p.ID, fp.key())
	if sluice.ErrorCode(err) == sluice.ENOTFOUND && create {
		return s.createFolder(ctx, p, fp)
	}
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Folder %q does not exist (set CreateFolderIfNotExists to create it).", path)
	}
	return folder, err
}

// CreateFile creates a draft file.
func (s *Service) CreateFile(ctx context.Context, ref sluice.ProjectRef, f sluice.File, createFolders bool) (*sluice.File, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if err := checkName("file", f.Name); err != nil {
		return nil, err
	}
	if _, ok := sluice.FileTypeByCode(f.Type); !ok {
		return nil, sluice.Errorf(sluice.EINVALID, "The FileType %d is not a known file type (see ListFileType).", f.Type)
	}
	if f.UseType == "" {
		f.UseType = sluice.UseNormal
	}
	if !f.UseType.Valid() {
		return nil, sluice.Errorf(sluice.EINVALID, "The UseType %q is invalid.", f.UseType)
	}
	if err := checkSchedule(&f.Schedule); err != nil {
		return nil, err
	}
	folder, err := s.placeFile(ctx, p, f.FolderPath, createFolders)
	if err != nil {
		return nil, err
	}
	f.ID, f.ProjectID, f.WorkflowID, f.FolderID, f.FolderPath = 0, p.ID, 0, "", ""
	if folder != nil {
		f.WorkflowID, f.FolderID, f.FolderPath = folder.WorkflowID, folder.ID, folder.Path
	}
	if f.Owner == "" {
		f.Owner = userID(u)
	}
	f.CreateUser, f.LastEditUser = userID(u), userID(u)
	f.CommitStatus, f.CurrentVersion, f.NodeID = sluice.Uncommitted, 0, 0
	if f.ParentID == 0 {
		f.ParentID = -1
	}
	if err := s.store.CreateFile(ctx, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// FindFile returns a file with its content.
func (s *Service) FindFile(ctx context.Context, ref sluice.ProjectRef, id int64) (*sluice.File, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindFile(ctx, p.ID, id)
}

// FindFileByNode returns the file a node was committed from.
func (s *Service) FindFileByNode(ctx context.Context, ref sluice.ProjectRef, nodeID int64) (*sluice.File, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindFileByNode(ctx, p.ID, nodeID)
}

// FindFiles lists files. A folder path that names no folder selects nothing.
func (s *Service) FindFiles(ctx context.Context, ref sluice.ProjectRef, folderPath *string, f sluice.FileFilter) ([]*sluice.File, int, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	f.ProjectID = p.ID
	if folderPath != nil {
		key := ""
		if strings.Trim(strings.TrimSpace(*folderPath), "/") != "" {
			fp, err := parseFolderPath(*folderPath, 1)
			if err != nil {
				return nil, 0, err
			}
			key = fp.key()
		}
		f.FolderKey = &key
	}
	return s.store.FindFiles(ctx, f)
}

// UpdateFile changes a draft. Any change makes a committed file uncommitted again.
func (s *Service) UpdateFile(ctx context.Context, ref sluice.ProjectRef, id int64, up sluice.FileUpdate) (*sluice.File, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	f, err := s.store.FindFile(ctx, p.ID, id)
	if err != nil {
		return nil, err
	}
	before := *f
	if up.Name != nil {
		if err := checkName("file", *up.Name); err != nil {
			return nil, err
		}
		f.Name = *up.Name
	}
	if up.FolderPath != nil {
		folder, err := s.placeFile(ctx, p, *up.FolderPath, false)
		if err != nil {
			return nil, err
		}
		f.WorkflowID, f.FolderID, f.FolderPath = 0, "", ""
		if folder != nil {
			f.WorkflowID, f.FolderID, f.FolderPath = folder.WorkflowID, folder.ID, folder.Path
		}
	}
	if up.UseType != nil {
		if !up.UseType.Valid() {
			return nil, sluice.Errorf(sluice.EINVALID, "The UseType %q is invalid.", *up.UseType)
		}
		f.UseType = *up.UseType
	}
	if up.Schedule != nil {
		if err := checkSchedule(up.Schedule); err != nil {
			return nil, err
		}
		f.Schedule = *up.Schedule
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&f.Description, up.Description)
	set(&f.Content, up.Content)
	set(&f.Owner, up.Owner)
	set(&f.ConnectionName, up.ConnectionName)
	set(&f.AdvancedSettings, up.AdvancedSettings)
	if up.AutoParsing != nil {
		f.AutoParsing = *up.AutoParsing
	}
	if !sameDraft(&before, f) {
		f.CommitStatus = sluice.Uncommitted
		f.LastEditUser = userID(u)
	}
	if err := s.store.UpdateFile(ctx, f); err != nil {
		return nil, err
	}
	return f, nil // the store filled the folder and the time it changed
}

// sameDraft reports whether an update changed nothing that a commit would snapshot.
func sameDraft(a, b *sluice.File) bool {
	return a.Name == b.Name && a.FolderID == b.FolderID && a.Description == b.Description && a.Content == b.Content &&
		a.Owner == b.Owner && a.ConnectionName == b.ConnectionName && a.AutoParsing == b.AutoParsing &&
		a.UseType == b.UseType && a.AdvancedSettings == b.AdvancedSettings && scheduleKey(&a.Schedule) == scheduleKey(&b.Schedule)
}

// DeleteFile deletes a file: a draft at once, a committed file through a delete deployment.
func (s *Service) DeleteFile(ctx context.Context, ref sluice.ProjectRef, id int64) (int64, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return 0, err
	}
	f, err := s.store.FindFile(ctx, p.ID, id)
	if err != nil {
		return 0, err
	}
	if f.CurrentVersion == 0 {
		return 0, s.store.DeleteFile(ctx, p.ID, id, nil)
	}
	d := &sluice.Deployment{ProjectID: p.ID, Name: "delete " + f.Name, Status: sluice.DeploymentSuccess,
		Creator: userID(u), Handler: userID(u), From: sluice.EnvCodeDev, To: sluice.EnvCodeProd}
	if err := s.store.DeleteFile(ctx, p.ID, id, d); err != nil {
		return 0, err
	}
	return d.ID, nil
}

// SubmitFile commits the draft as a new version and creates or updates its DEV node.
func (s *Service) SubmitFile(ctx context.Context, ref sluice.ProjectRef, id int64, comment string) (*sluice.Deployment, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	_, d, err := s.store.CommitFile(ctx, p.ID, id, sluice.Commit{User: userID(u), Comment: comment, Lineage: lineageOf(p.Name)})
	return d, err
}

// DeployFile publishes the committed version to PROD.
func (s *Service) DeployFile(ctx context.Context, ref sluice.ProjectRef, id int64, comment string) (*sluice.Deployment, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	return s.store.DeployFile(ctx, p.ID, id, sluice.Commit{User: userID(u), Comment: comment})
}

// FindDeployment returns a deployment.
func (s *Service) FindDeployment(ctx context.Context, ref sluice.ProjectRef, id int64) (*sluice.Deployment, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindDeployment(ctx, p.ID, id)
}

// FindFileVersion returns one committed version.
func (s *Service) FindFileVersion(ctx context.Context, ref sluice.ProjectRef, fileID int64, version int) (*sluice.FileVersion, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	return s.store.FindFileVersion(ctx, p.ID, fileID, version)
}

// FindFileVersions lists a file's versions, newest first.
func (s *Service) FindFileVersions(ctx context.Context, ref sluice.ProjectRef, fileID int64, offset, limit int) ([]*sluice.FileVersion, int, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	return s.store.FindFileVersions(ctx, p.ID, fileID, offset, limit)
}

// FindNode finds a node by id, then checks that the caller may read its project.
func (s *Service) FindNode(ctx context.Context, id int64, env sluice.Env) (*sluice.Node, error) {
	if env != sluice.EnvDev && env != sluice.EnvProd {
		return nil, sluice.Errorf(sluice.EINVALID, "ProjectEnv %q is invalid: use DEV or PROD.", env)
	}
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	n, err := s.store.FindNode(ctx, id, env)
	if err != nil {
		return nil, err
	}
	if _, err := s.Authorize(ctx, sluice.ProjectByID(n.ProjectID), sluice.Read); err != nil {
		return nil, err
	}
	return n, nil
}

// FindNodes lists a project's nodes in one environment.
func (s *Service) FindNodes(ctx context.Context, ref sluice.ProjectRef, f sluice.NodeFilter) ([]*sluice.Node, int, error) {
	if f.Env != sluice.EnvDev && f.Env != sluice.EnvProd {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "ProjectEnv %q is invalid: use DEV or PROD.", f.Env)
	}
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	f.ProjectID = p.ID
	return s.store.FindNodes(ctx, f)
}

// scheduleKey renders a schedule for comparison.
func scheduleKey(sc *sluice.Schedule) string {
	b, _ := json.Marshal(sc)
	return string(b)
}
