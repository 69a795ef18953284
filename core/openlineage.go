package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

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
	e, err := s.versionEvent(ctx, p)
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

// versionEvent builds the OpenLineage event of a committed version from what the store kept of it.
func (s *Service) versionEvent(ctx context.Context, p lineageEventPayload) (openlineage.Event, error) {
	proj, err := s.store.FindProject(ctx, sluice.ProjectByID(p.ProjectID))
	if err != nil {
		return openlineage.Event{}, err
	}
	v, err := s.store.FindFileVersion(ctx, p.ProjectID, p.FileID, p.Version)
	if err != nil {
		return openlineage.Event{}, err
	}
	l, err := s.store.FindVersionLineage(ctx, p.ProjectID, p.FileID, p.Version)
	if err != nil {
		return openlineage.Event{}, err
	}
	ov := openlineage.Version{Namespace: s.LineageNamespace, Project: proj.Name, FileID: p.FileID, FileName: v.Name,
		Path: folderKey(v.Properties.FolderPath), Version: p.Version, Committer: v.CommitUser, CommittedAt: v.CommitTime,
		SQL: v.Content, Dialect: l.Dialect, Inputs: l.Inputs, Outputs: l.Outputs}
	for _, c := range l.Columns {
		ov.Columns = append(ov.Columns, openlineage.ColumnEdge{Target: c.Target, Source: c.Source, Kind: c.Kind})
	}
	return openlineage.JobEvent(ov), nil
}

// folderKey is a folder path without its root segment (业务流程/..., Workflow/...), as job names use it.
func folderKey(path string) string {
	path = strings.Trim(path, "/")
	if _, rest, ok := strings.Cut(path, "/"); ok {
		return rest
	}
	return ""
}
