package core

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/lineage"
)

var _ sluice.FileService = (*Service)(nil)

// userID is how files and workflows name a user.
func userID(u *sluice.User) string { return sluice.FormatUserID(u.ID) }

// checkOwner checks that owner names a user.
func (s *Service) checkOwner(ctx context.Context, owner string) error {
	id, ok := sluice.ParseUserID(owner)
	if !ok {
		return sluice.Errorf(sluice.EINVALID, "The owner %q is not a user id.", owner)
	}
	if _, err := s.store.FindUserByID(ctx, id); err != nil {
		if sluice.ErrorCode(err) == sluice.ENOTFOUND {
			return sluice.Errorf(sluice.EINVALID, "The owner %s is not a user.", owner)
		}
		return err
	}
	return nil
}

// checkName validates the name of a workflow, folder segment or file.
func checkName(what, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return sluice.Errorf(sluice.EINVALID, "The %s name must not be empty.", what)
	case utf8.RuneCountInString(name) > 128:
		return sluice.Errorf(sluice.EINVALID, "The %s name %.40q... is longer than 128 characters.", what, name)
	case strings.ContainsAny(name, "/\\"):
		return sluice.Errorf(sluice.EINVALID, "The %s name %q must not contain '/' or '\\'.", what, name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return sluice.Errorf(sluice.EINVALID, "The %s name %q must not contain control characters.", what, name)
	case name != strings.TrimSpace(name):
		return sluice.Errorf(sluice.EINVALID, "The %s name %q must not start or end with spaces.", what, name)
	}
	return nil
}

// checkFilters checks the text a listing filters by, given as pairs of a description and the text: no name
// is longer than 128 characters or holds a control character (checkName), so such a filter can match
// nothing, and is refused as the mistake it is before it reaches the store's patterns.
func checkFilters(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		what, text := pairs[i], pairs[i+1]
		switch {
		case utf8.RuneCountInString(text) > 128:
			return sluice.Errorf(sluice.EINVALID, "The %s filter is longer than 128 characters, which no name is.", what)
		case !utf8.ValidString(text) || strings.IndexFunc(text, unicode.IsControl) >= 0:
			return sluice.Errorf(sluice.EINVALID, "The %s filter %q holds control characters or invalid UTF-8.", what, text)
		}
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
	} else if err := s.checkOwner(ctx, w.Owner); err != nil {
		return nil, err
	}
	w.ID, w.ProjectID = 0, p.ID
	e := entry("CreateWorkflow", "workflow", w.Name, nil, "")
	e.Fill = func(e *sluice.AuditEntry) { e.ObjectID = strconv.FormatInt(w.ID, 10) }
	if err := s.store.CreateWorkflow(audited(ctx, p, e), &w); err != nil {
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
	if err := checkFilters("keyword", f.Keyword); err != nil {
		return nil, 0, err
	}
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
	if u.Owner != nil {
		if err := s.checkOwner(ctx, *u.Owner); err != nil {
			return nil, err
		}
	}
	e := entry("UpdateWorkflow", "workflow", "", id, "")
	return s.store.UpdateWorkflow(audited(ctx, p, e), p.ID, id, func(w *sluice.Workflow) error {
		e.ObjectName = w.Name
		set(&w.Name, u.Name)
		set(&w.Description, u.Description)
		set(&w.Owner, u.Owner)
		return nil
	})
}

// set assigns *v to *dst when v is set.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// DeleteWorkflow deletes an empty workflow.
func (s *Service) DeleteWorkflow(ctx context.Context, ref sluice.ProjectRef, id int64) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	return s.store.DeleteWorkflow(audited(ctx, p, entry("DeleteWorkflow", "workflow", "", id, "")), p.ID, id)
}

// createFolder creates the folder at fp (and its ancestors) in project p, reporting whether it was new.
func (s *Service) createFolder(ctx context.Context, p *sluice.Project, fp folderPath) (*sluice.Folder, bool, error) {
	w, err := s.store.FindWorkflowByName(ctx, p.ID, fp.workflow())
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, false, sluice.Errorf(sluice.ENOTFOUND, "Workflow %q does not exist in project %s.", fp.workflow(), p.Name)
	}
	if err != nil {
		return nil, false, err
	}
	return s.store.CreateFolders(ctx, p.ID, w.ID, fp.root, fp.key())
}

// CreateFolder creates a folder and any missing ancestors below its workflow. A folder that exists already
// is refused, as creating a taken name is everywhere else; its missing ancestors are not.
func (s *Service) CreateFolder(ctx context.Context, ref sluice.ProjectRef, path string) (*sluice.Folder, error) {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	fp, err := parseFolderPath(path, 2)
	if err != nil {
		return nil, err
	}
	// An existing folder is refused before the store call, so that a refused create leaves no audit entry
	// (the store's create of an existing folder commits, changing nothing).
	if f, err := s.store.FindFolderByKey(ctx, p.ID, fp.key()); err == nil {
		return nil, sluice.Errorf(sluice.ECONFLICT, "Folder %q already exists.", f.Path)
	}
	f, created, err := s.createFolder(audited(ctx, p, entry("CreateFolder", "folder", path, nil, "")), p, fp)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, sluice.Errorf(sluice.ECONFLICT, "Folder %q already exists.", f.Path)
	}
	return f, nil
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

// FindFolders lists the direct sub-folders of a path; the parent may be a workflow's own path. Like every
// string filter, a parent that names nothing selects nothing; only a malformed path is an error.
func (s *Service) FindFolders(ctx context.Context, ref sluice.ProjectRef, parentPath string, offset, limit int) ([]*sluice.Folder, int, error) {
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	fp, err := parseFolderPath(parentPath, 1)
	if err != nil {
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
	return s.store.RenameFolder(audited(ctx, p, entry("RenameFolder", "folder", name, id, "")), p.ID, id, name)
}

// DeleteFolder deletes an empty folder.
func (s *Service) DeleteFolder(ctx context.Context, ref sluice.ProjectRef, id string) error {
	p, _, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return err
	}
	return s.store.DeleteFolder(audited(ctx, p, entry("DeleteFolder", "folder", "", id, "")), p.ID, id)
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
	case sc.ResourceGroupID < 0 || sc.StartEffectDate < 0 || sc.EndEffectDate < 0:
		return sluice.Errorf(sluice.EINVALID, "ResourceGroupId, StartEffectDate and EndEffectDate must not be negative.")
	case sc.StartEffectDate != 0 && sc.EndEffectDate != 0 && sc.EndEffectDate < sc.StartEffectDate:
		return sluice.Errorf(sluice.EINVALID, "EndEffectDate is before StartEffectDate.")
	}
	for _, v := range []struct {
		name, value string
		allowed     []string
	}{
		{"CycleType", sc.CycleType, sluice.CycleTypes}, {"RerunMode", sc.RerunMode, sluice.RerunModes},
		{"SchedulerType", sc.SchedulerType, sluice.SchedulerTypes}, {"DependentType", sc.DependentType, sluice.DependentTypes},
	} {
		if v.value != "" && !slices.Contains(v.allowed, v.value) {
			return sluice.Errorf(sluice.EINVALID, "%s %q is invalid: use one of %s.", v.name, v.value, strings.Join(v.allowed, ", "))
		}
	}
	if sc.CronExpress != "" {
		if n := len(strings.Fields(sc.CronExpress)); n < 6 || n > 7 {
			return sluice.Errorf(sluice.EINVALID, "CronExpress %q has %d fields; a cron expression has 6 (seconds first) or 7.", sc.CronExpress, n)
		}
	}
	return nil
}

// fileFolderKey is the key of the folder a file path names: "" for the project's root (no workflow).
func fileFolderKey(path string) (string, error) {
	if strings.Trim(strings.TrimSpace(path), "/") == "" {
		return "", nil
	}
	fp, err := parseFolderPath(path, 2)
	if err != nil {
		return "", err
	}
	return fp.key(), nil
}

// placeFile resolves a folder path for a new file: nil is the project's root (no workflow).
func (s *Service) placeFile(ctx context.Context, p *sluice.Project, path string, create bool) (*sluice.Folder, error) {
	key, err := fileFolderKey(path)
	if err != nil || key == "" {
		return nil, err
	}
	folder, err := s.store.FindFolderByKey(ctx, p.ID, key)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND && create {
		fp, _ := parseFolderPath(path, 2)
		folder, _, err = s.createFolder(ctx, p, fp)
		return folder, err
	}
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return nil, sluice.Errorf(sluice.ENOTFOUND, "Folder %q does not exist.", path)
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
		return nil, sluice.Errorf(sluice.EINVALID, "The file type %d is not a known file type.", f.Type)
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
	} else if err := s.checkOwner(ctx, f.Owner); err != nil {
		return nil, err
	}
	f.CreateUser, f.LastEditUser = userID(u), userID(u)
	f.CommitStatus, f.CurrentVersion, f.NodeID = sluice.Uncommitted, 0, 0
	if f.ParentID == 0 {
		f.ParentID = -1
	}
	e := entry("CreateFile", "file", f.Name, nil, f.FolderPath)
	e.Fill = func(e *sluice.AuditEntry) { e.ObjectID = strconv.FormatInt(f.ID, 10) }
	if err := s.store.CreateFile(audited(ctx, p, e), &f); err != nil {
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
	if err := checkFilters("keyword", f.Keyword, "name", f.ExactName, "owner", f.Owner, "last editor", f.LastEditUser); err != nil {
		return nil, 0, err
	}
	if len(f.IDs) > sluice.MaxFileIDs {
		return nil, 0, sluice.Errorf(sluice.EINVALID, "At most %d file ids may be listed.", sluice.MaxFileIDs)
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

// UpdateFile changes a draft. A change makes a committed file uncommitted again and records the caller as
// its last editor; an update that changes nothing changes nothing. The update is applied to the file as it
// is when the store locks it, so concurrent updates and commits never undo one another.
func (s *Service) UpdateFile(ctx context.Context, ref sluice.ProjectRef, id int64, up sluice.FileUpdate) (*sluice.File, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	if up.Name != nil {
		if err := checkName("file", *up.Name); err != nil {
			return nil, err
		}
	}
	var folderKey string
	if up.FolderPath != nil {
		if folderKey, err = fileFolderKey(*up.FolderPath); err != nil {
			return nil, err
		}
	}
	if up.UseType != nil && !up.UseType.Valid() {
		return nil, sluice.Errorf(sluice.EINVALID, "The UseType %q is invalid.", *up.UseType)
	}
	if up.Owner != nil {
		if err := s.checkOwner(ctx, *up.Owner); err != nil {
			return nil, err
		}
	}
	now := s.now()
	e := entry("UpdateFile", "file", "", id, "")
	c, err := s.store.ChangeFile(audited(ctx, p, e), p.ID, id, func(f *sluice.File) (*sluice.FileChange, error) {
		e.ObjectName = f.Name
		before := *f
		moved := false
		if up.FolderPath != nil {
			current, _ := fileFolderKey(f.FolderPath)
			if moved = current != folderKey; moved {
				f.FolderPath, f.FolderID, f.WorkflowID = *up.FolderPath, "", 0 // the store places it
			}
		}
		set(&f.Name, up.Name)
		set(&f.UseType, up.UseType)
		if up.Schedule != nil {
			if err := up.Schedule(&f.Schedule); err != nil {
				return nil, err
			}
			if err := checkSchedule(&f.Schedule); err != nil {
				return nil, err
			}
		}
		set(&f.Description, up.Description)
		set(&f.Content, up.Content)
		set(&f.Owner, up.Owner)
		set(&f.ConnectionName, up.ConnectionName)
		set(&f.AdvancedSettings, up.AdvancedSettings)
		set(&f.AutoParsing, up.AutoParsing)
		if moved || !sameDraft(&before, f) {
			f.CommitStatus = sluice.Uncommitted
			f.LastEditUser = userID(u)
			f.UpdatedAt = now
		}
		return &sluice.FileChange{File: f}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.File, nil
}

// sameDraft reports whether two drafts in one folder hold the same: nothing a commit would snapshot differs.
func sameDraft(a, b *sluice.File) bool {
	return a.Name == b.Name && a.Description == b.Description && a.Content == b.Content &&
		a.Owner == b.Owner && a.ConnectionName == b.ConnectionName && a.AutoParsing == b.AutoParsing &&
		a.UseType == b.UseType && a.AdvancedSettings == b.AdvancedSettings && reflect.DeepEqual(normalSchedule(a.Schedule), normalSchedule(b.Schedule))
}

// normalSchedule is s with empty lists nil: a list cleared and a list never set are the same schedule.
func normalSchedule(s sluice.Schedule) sluice.Schedule {
	if len(s.Inputs) == 0 {
		s.Inputs = nil
	}
	if len(s.Outputs) == 0 {
		s.Outputs = nil
	}
	if len(s.InputParameters) == 0 {
		s.InputParameters = nil
	}
	if len(s.OutputParameters) == 0 {
		s.OutputParameters = nil
	}
	return s
}

// snapshot is version number version of f, with the node schedule sc.
func snapshot(f *sluice.File, version int, sc sluice.Schedule, user, comment, change string) *sluice.FileVersion {
	return &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content,
		Properties: sluice.FileProperties{Type: f.Type, Description: f.Description, FolderPath: f.FolderPath, Owner: f.Owner,
			ConnectionName: f.ConnectionName, AutoParsing: f.AutoParsing, UseType: f.UseType, AdvancedSettings: f.AdvancedSettings},
		Schedule: sc, NodeID: f.NodeID, CommitUser: user, Comment: comment, ChangeType: change, Status: sluice.VersionCommitted,
		UseType: f.UseType}
}

// deployment is a finished deployment of one version of f between two environments, by user.
func deployment(name, user string, from, to int, f *sluice.File, version int) *sluice.Deployment {
	return &sluice.Deployment{Name: name, Status: sluice.DeploymentSuccess, Creator: user, Handler: user, From: from, To: to,
		Items: []sluice.DeployedItem{{FileID: f.ID, FileVersion: version, Status: 1}}}
}

// DeleteFile deletes a file: a draft at once, a committed file through a delete deployment, which records
// a last version (ChangeType DELETE) and removes its nodes.
func (s *Service) DeleteFile(ctx context.Context, ref sluice.ProjectRef, id int64) (int64, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return 0, err
	}
	e := entry("DeleteFile", "file", "", id, "")
	c, err := s.store.ChangeFile(audited(ctx, p, e), p.ID, id, func(f *sluice.File) (*sluice.FileChange, error) {
		e.ObjectName = f.Name
		if f.CurrentVersion == 0 {
			return &sluice.FileChange{Delete: true}, nil
		}
		version := f.CurrentVersion + 1
		return &sluice.FileChange{Delete: true,
			Version:    snapshot(f, version, f.Schedule, userID(u), "delete", sluice.ChangeDelete),
			Deployment: deployment("delete "+f.Name, userID(u), sluice.EnvCodeDev, sluice.EnvCodeProd, f, version)}, nil
	})
	if err != nil || c.Deployment == nil {
		return 0, err
	}
	return c.Deployment.ID, nil
}

// SubmitFile commits the draft as the next version: its lineage is parsed from exactly the content
// committed, its DEV node created (on the first commit) or replaced carries the draft's schedule plus the
// lineage's AUTO inputs and outputs, and a local -> DEV deployment is recorded. Concurrent commits of one
// file get consecutive versions.
func (s *Service) SubmitFile(ctx context.Context, ref sluice.ProjectRef, id int64, comment string) (*sluice.Deployment, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	var schemas lineage.Schemas
	if draft, err := s.store.FindFile(ctx, p.ID, id); err == nil {
		schemas = s.columnSchemas(ctx, p, draft)
	}
	e := entry("SubmitFile", "file", "", id, "")
	c, err := s.store.ChangeFile(audited(ctx, p, e), p.ID, id, func(f *sluice.File) (*sluice.FileChange, error) {
		e.ObjectName = f.Name
		l := s.versionLineage(f, p.Name, schemas)
		sc := withLineage(f.Schedule, l)
		version, change := f.CurrentVersion+1, sluice.ChangeUpdate
		if f.CurrentVersion == 0 {
			change = sluice.ChangeCreate
		}
		v := snapshot(f, version, sc, userID(u), comment, change)
		e.Detail = "version " + strconv.Itoa(version)
		n := &sluice.Node{ID: f.NodeID, ProjectID: f.ProjectID, Env: sluice.EnvDev, FileID: f.ID, FileVersion: version,
			WorkflowID: f.WorkflowID, Name: f.Name, FileType: f.Type, Owner: f.Owner, Description: f.Description, Schedule: sc}
		f.CommitStatus, f.CurrentVersion = sluice.Committed, version
		return &sluice.FileChange{File: f, Version: v, Lineage: l, Node: n,
			Deployment: deployment(f.Name, userID(u), sluice.EnvCodeLocal, sluice.EnvCodeDev, f, version),
			Job:        s.lineageEvent(f.ProjectID, f.ID, version)}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.Deployment, nil
}

// DeployFile publishes the last committed version to PROD: the PROD node becomes a copy of the DEV node,
// the version the current production one, and a DEV -> PROD deployment is recorded.
func (s *Service) DeployFile(ctx context.Context, ref sluice.ProjectRef, id int64, comment string) (*sluice.Deployment, error) {
	p, u, err := s.project(ctx, ref, sluice.Write)
	if err != nil {
		return nil, err
	}
	e := entry("DeployFile", "file", "", id, "")
	c, err := s.store.ChangeFile(audited(ctx, p, e), p.ID, id, func(f *sluice.File) (*sluice.FileChange, error) {
		e.ObjectName = f.Name
		if f.CurrentVersion == 0 || f.NodeID == 0 {
			return nil, sluice.Errorf(sluice.ECONFLICT, "File %d has no committed version to deploy; commit it first.", f.ID)
		}
		e.Detail = "version " + strconv.Itoa(f.CurrentVersion)
		return &sluice.FileChange{File: f, PublishNode: true, ProdVersion: f.CurrentVersion,
			Deployment: deployment(f.Name, userID(u), sluice.EnvCodeDev, sluice.EnvCodeProd, f, f.CurrentVersion)}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.Deployment, nil
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
		return nil, sluice.Errorf(sluice.EINVALID, "The environment %q is invalid: use DEV or PROD.", env)
	}
	if _, err := caller(ctx); err != nil {
		return nil, err
	}
	n, err := s.store.FindNode(ctx, id, env)
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		// A node is named by its id alone: one missing in env is not there for a caller who may read its
		// project (known from the other environment); otherwise it answers as a project the caller may not see.
		other := sluice.EnvProd
		if env == sluice.EnvProd {
			other = sluice.EnvDev
		}
		n, oerr := s.store.FindNode(ctx, id, other)
		if oerr == nil {
			if _, aerr := s.Authorize(ctx, sluice.ProjectByID(n.ProjectID), sluice.Read); aerr == nil {
				return nil, err
			}
		}
		return nil, noAccess()
	}
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
		return nil, 0, sluice.Errorf(sluice.EINVALID, "The environment %q is invalid: use DEV or PROD.", f.Env)
	}
	if err := checkFilters("node name", f.Name, "owner", f.Owner, "workflow name", f.WorkflowName, "scheduler type", f.SchedulerType); err != nil {
		return nil, 0, err
	}
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, 0, err
	}
	f.ProjectID = p.ID
	return s.store.FindNodes(ctx, f)
}
