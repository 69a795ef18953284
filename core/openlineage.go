package core

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/openlineage"
)

// Committed versions are announced to an OpenLineage receiver (docs/openlineage.md) when the operator
// configures one (Service.Lineage). The announcement is a job enqueued in the commit's own transaction, so a
// version acknowledged is a version announced, even if the server stops before it sends: any server of the
// database sends it later. A receiver that is down is tried again as the job's lease runs out.

// lineageEventJob is the kind of the job announcing one committed version.
const lineageEventJob = "openlineage"

// maxLineageEventAttempts bounds how often an announcement is tried before it is given up (and logged).
const maxLineageEventAttempts = 50

// LineageEmitter sends OpenLineage events: an *openlineage.Client, or a stand-in in tests.
type LineageEmitter interface {
	Emit(ctx context.Context, e openlineage.Event) error
}

type lineageEventPayload struct {
	ProjectID int64 `json:"project_id"`
	FileID    int64 `json:"file_id"`
	Version   int   `json:"version"`
}

// lineageEvent returns the job announcing version of a file, or nil when no receiver is configured.
func (s *Service) lineageEvent(projectID, fileID int64, version int) *sluice.Job {
	if s.Lineage == nil {
		return nil
	}
	b, _ := json.Marshal(lineageEventPayload{ProjectID: projectID, FileID: fileID, Version: version})
	return &sluice.Job{Kind: lineageEventJob, Payload: string(b)}
}

// runLineageEventJob claims one announcement and sends it, reporting whether there was one. A delivery that
// may succeed later (the receiver down, slow or busy) keeps the job for another try once its lease runs out;
// one the receiver refuses, or a version gone since, ends it.
func (s *Service) runLineageEventJob(ctx context.Context) (bool, error) {
	if s.Lineage == nil {
		return false, nil
	}
	j, err := s.store.ClaimJob(ctx, lineageEventJob, s.Instance, s.JobLease)
	if err != nil || j == nil {
		return false, err
	}
	var p lineageEventPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return true, errors.Join(fmt.Errorf("job %d: payload: %w", j.ID, err), s.store.DeleteJob(ctx, j.ID))
	}
	proj, err := s.store.FindProject(ctx, sluice.ProjectByID(p.ProjectID))
	var e openlineage.Event
	if err == nil {
		e, err = s.versionEvent(ctx, proj, p.FileID, p.Version, s.LineageNamespace)
	}
	if sluice.ErrorCode(err) == sluice.ENOTFOUND {
		return true, s.store.DeleteJob(ctx, j.ID) // the project or file is gone: nothing to announce
	}
	if err != nil {
		return true, err // the store failed: the job stays for another try
	}
	err = s.Lineage.Emit(ctx, e)
	switch {
	case err == nil:
		return true, s.store.DeleteJob(ctx, j.ID)
	case openlineage.IsRetryable(err) && j.Attempts < maxLineageEventAttempts:
		slog.WarnContext(ctx, "announcing a version's lineage failed; it is tried again", "job", j.ID, "attempt", j.Attempts, "err", err)
		return true, nil
	}
	slog.ErrorContext(ctx, "announcing a version's lineage failed; it is given up", "job", j.ID, "project", p.ProjectID,
		"file", p.FileID, "version", p.Version, "attempts", j.Attempts, "err", err)
	return true, s.store.DeleteJob(ctx, j.ID)
}

// versionEvent builds the OpenLineage event of a committed version of a file of proj from what the store kept
// of it, with ns as the job namespace ("" is openlineage's default): what the commit announces, and what
// LineageEvents exports.
func (s *Service) versionEvent(ctx context.Context, proj *sluice.Project, fileID int64, version int, ns string) (openlineage.Event, error) {
	v, err := s.store.FindFileVersion(ctx, proj.ID, fileID, version)
	if err != nil {
		return openlineage.Event{}, err
	}
	l, err := s.store.FindVersionLineage(ctx, proj.ID, fileID, version)
	if err != nil {
		return openlineage.Event{}, err
	}
	ov := openlineage.Version{Namespace: ns, Project: proj.Name, FileID: fileID, FileName: v.Name,
		Path: folderKey(v.Properties.FolderPath), Version: version, Committer: v.CommitUser, CommittedAt: v.CommitTime,
		SQL: v.Content, Dialect: l.Dialect, Inputs: l.Inputs, Outputs: l.Outputs}
	for _, c := range l.Columns {
		ov.Columns = append(ov.Columns, openlineage.ColumnEdge{Target: c.Target, Source: c.Source, Kind: c.Kind})
	}
	return openlineage.JobEvent(ov), nil
}

// maxLineageNamespace bounds the job namespace an export asks for.
const maxLineageNamespace = 256

// LineageEvents returns, for a caller who may read the project, the OpenLineage events of committed versions
// of its files, each the event the commit announced (versionEvent): of version of fileID, of fileID's last
// committed version (version 0), or of every file's last committed version (fileID 0), by file id. ns names
// the job namespace; "" is the server's (LineageNamespace).
func (s *Service) LineageEvents(ctx context.Context, ref sluice.ProjectRef, fileID int64, version int, ns string) ([]openlineage.Event, error) {
	if version < 0 || (version > 0 && fileID == 0) {
		return nil, sluice.Errorf(sluice.EINVALID, "The version %d is invalid: name a file and a version from 1.", version)
	}
	if len(ns) > maxLineageNamespace || strings.ContainsFunc(ns, unicode.IsControl) {
		return nil, sluice.Errorf(sluice.EINVALID, "The namespace %q is invalid: use at most %d characters, none of them control characters.",
			ns, maxLineageNamespace)
	}
	p, _, err := s.project(ctx, ref, sluice.Read)
	if err != nil {
		return nil, err
	}
	ns = cmp.Or(ns, s.LineageNamespace)
	type side struct {
		file    int64
		version int
	}
	var todo []side
	switch {
	case fileID == 0:
		files, _, err := s.store.FindFiles(ctx, sluice.FileFilter{ProjectID: p.ID})
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if f.CurrentVersion > 0 {
				todo = append(todo, side{f.ID, f.CurrentVersion})
			}
		}
	case version == 0:
		f, err := s.store.FindFile(ctx, p.ID, fileID)
		if err != nil {
			return nil, err
		}
		if f.CurrentVersion == 0 {
			return nil, sluice.Errorf(sluice.ENOTFOUND, "File %d has no committed version.", fileID)
		}
		todo = append(todo, side{f.ID, f.CurrentVersion})
	default:
		todo = append(todo, side{fileID, version})
	}
	events := make([]openlineage.Event, 0, len(todo))
	for _, t := range todo {
		e, err := s.versionEvent(ctx, p, t.file, t.version, ns)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// folderKey is a folder path without its root segment (业务流程/..., Workflow/...), as job names use it.
func folderKey(path string) string {
	path = strings.Trim(path, "/")
	if _, rest, ok := strings.Cut(path, "/"); ok {
		return rest
	}
	return ""
}
