package storetest

import (
	"context"
	"strings"

	"github.com/sluice-dev/sluice"
)

// The core decides what a commit, a deploy, a delete or an edit of a file writes; the store keeps it. These
// helpers make decisions of the same shape, so that the suite checks what the store does with them: the
// version locked and numbered, the node id allocated, everything written at once or not at all.

// commit writes the next version of a file with lineage l (nil for none), its DEV node carrying l's
// tables as AUTO inputs and outputs, and a local -> DEV deployment.
func commit(ctx context.Context, db sluice.FileStore, pid, id int64, user, comment string, l *sluice.VersionLineage) (*sluice.FileVersion, *sluice.Deployment, error) {
	c, err := db.ChangeFile(ctx, pid, id, func(f *sluice.File) (*sluice.FileChange, error) {
		version, change := f.CurrentVersion+1, sluice.ChangeUpdate
		if version == 1 {
			change = sluice.ChangeCreate
		}
		sc := f.Schedule
		if l != nil {
			l.FileID = f.ID
			sc.Inputs = append(append([]sluice.NodeIO(nil), sc.Inputs...), autoIO(l.Inputs, false)...)
			sc.Outputs = append(append([]sluice.NodeIO(nil), sc.Outputs...), autoIO(l.Outputs, true)...)
		}
		v := &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content,
			Properties: sluice.FileProperties{Type: f.Type, Owner: f.Owner, FolderPath: f.FolderPath}, Schedule: sc,
			NodeID: f.NodeID, CommitUser: user, Comment: comment, ChangeType: change, Status: sluice.VersionCommitted, UseType: f.UseType}
		n := &sluice.Node{ID: f.NodeID, Env: sluice.EnvDev, FileID: f.ID, FileVersion: version, WorkflowID: f.WorkflowID,
			Name: f.Name, FileType: f.Type, Owner: f.Owner, Description: f.Description, Schedule: sc}
		f.CommitStatus, f.CurrentVersion = sluice.Committed, version
		return &sluice.FileChange{File: f, Version: v, Lineage: l, Node: n,
			Deployment: deployment(f, version, user, sluice.EnvCodeLocal, sluice.EnvCodeDev)}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c.Version, c.Deployment, nil
}

func autoIO(guids []string, output bool) []sluice.NodeIO {
	var out []sluice.NodeIO
	for _, g := range guids {
		io := sluice.NodeIO{Name: strings.TrimPrefix(g, sluice.TableGuidPrefix), ParseType: "AUTO"}
		if output {
			io.RefTable = g
		}
		out = append(out, io)
	}
	return out
}

func deployment(f *sluice.File, version int, user string, from, to int) *sluice.Deployment {
	return &sluice.Deployment{Name: f.Name, Status: sluice.DeploymentSuccess, Creator: user, Handler: user, From: from, To: to,
		Items: []sluice.DeployedItem{{FileID: f.ID, FileVersion: version, Status: 1}}}
}

// deploy publishes the current version to PROD.
func deploy(ctx context.Context, db sluice.FileStore, pid, id int64, user string) (*sluice.Deployment, error) {
	c, err := db.ChangeFile(ctx, pid, id, func(f *sluice.File) (*sluice.FileChange, error) {
		if f.CurrentVersion == 0 {
			return nil, sluice.Errorf(sluice.ECONFLICT, "File %d has no committed version.", f.ID)
		}
		return &sluice.FileChange{File: f, PublishNode: true, ProdVersion: f.CurrentVersion,
			Deployment: deployment(f, f.CurrentVersion, user, sluice.EnvCodeDev, sluice.EnvCodeProd)}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.Deployment, nil
}

// remove deletes a file: a draft at once (no deployment), a committed file with a DELETE version and a
// deployment.
func remove(ctx context.Context, db sluice.FileStore, pid, id int64, user string) (*sluice.Deployment, error) {
	c, err := db.ChangeFile(ctx, pid, id, func(f *sluice.File) (*sluice.FileChange, error) {
		if f.CurrentVersion == 0 {
			return &sluice.FileChange{Delete: true}, nil
		}
		version := f.CurrentVersion + 1
		return &sluice.FileChange{Delete: true,
			Version: &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content, Schedule: f.Schedule,
				NodeID: f.NodeID, CommitUser: user, ChangeType: sluice.ChangeDelete, Status: sluice.VersionCommitted},
			Deployment: deployment(f, version, user, sluice.EnvCodeDev, sluice.EnvCodeProd)}, nil
	})
	if err != nil {
		return nil, err
	}
	return c.Deployment, nil
}

// edit stores draft's name, folder path, content, last editor and commit status.
func edit(ctx context.Context, db sluice.FileStore, draft *sluice.File) error {
	_, err := db.ChangeFile(ctx, draft.ProjectID, draft.ID, func(f *sluice.File) (*sluice.FileChange, error) {
		f.Name, f.Content, f.LastEditUser, f.CommitStatus = draft.Name, draft.Content, draft.LastEditUser, draft.CommitStatus
		if f.FolderPath != draft.FolderPath {
			f.FolderPath, f.FolderID = draft.FolderPath, ""
		}
		return &sluice.FileChange{File: f}, nil
	})
	return err
}
