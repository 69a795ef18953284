package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sqlstore"
)

// writes times the store's file writes on the generated project, one caller, n of each: CreateFile, a
// commit (ChangeFile writing the next version, its DEV node and a deployment, the name unchanged), a rename
// and a delete, each in its own transaction as the API does them. The files it creates are deleted again.
// It prints one Markdown row per write, labelled with label.
func writes(ctx context.Context, dsn, metaPath string, n int, label string) error {
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return err
	}
	var meta Meta
	if err := json.Unmarshal(b, &meta); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(5, 6))
	pid := meta.ProjectID
	var create, commit, rename, del []time.Duration
	for i := 0; i < n; i++ {
		f := &sluice.File{ProjectID: pid, Name: fmt.Sprintf("%s_w%d", fileName(r), i), Type: 10, Content: "SELECT 1",
			FolderPath: "Business Flow/" + meta.FolderKeys[r.IntN(len(meta.FolderKeys))], Owner: meta.Owners[0],
			UseType: sluice.UseNormal, ParentID: -1}
		t0 := time.Now()
		if err := db.CreateFile(ctx, f); err != nil {
			return fmt.Errorf("create: %w", err)
		}
		create = append(create, time.Since(t0))

		t0 = time.Now()
		if _, err := db.ChangeFile(ctx, pid, f.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			version := f.CurrentVersion + 1
			f.Content, f.CommitStatus, f.CurrentVersion = "SELECT 2", sluice.Committed, version
			return &sluice.FileChange{File: f,
				Version: &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content, Schedule: f.Schedule,
					CommitUser: f.Owner, ChangeType: sluice.ChangeCreate, Status: sluice.VersionCommitted, UseType: f.UseType},
				Node: &sluice.Node{Env: sluice.EnvDev, FileID: f.ID, FileVersion: version, WorkflowID: f.WorkflowID,
					Name: f.Name, FileType: f.Type, Owner: f.Owner, Schedule: f.Schedule},
				Deployment: &sluice.Deployment{Name: f.Name, Status: sluice.DeploymentSuccess, Creator: f.Owner, Handler: f.Owner,
					From: sluice.EnvCodeLocal, To: sluice.EnvCodeDev, Items: []sluice.DeployedItem{{FileID: f.ID, FileVersion: version, Status: 1}}},
			}, nil
		}); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		commit = append(commit, time.Since(t0))

		t0 = time.Now()
		if _, err := db.ChangeFile(ctx, pid, f.ID, func(f *sluice.File) (*sluice.FileChange, error) {
			f.Name = fmt.Sprintf("%s_r%d", fileName(r), i)
			return &sluice.FileChange{File: f}, nil
		}); err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		rename = append(rename, time.Since(t0))

		t0 = time.Now()
		if _, err := db.ChangeFile(ctx, pid, f.ID, func(*sluice.File) (*sluice.FileChange, error) {
			return &sluice.FileChange{Delete: true}, nil
		}); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		del = append(del, time.Since(t0))
	}
	for _, w := range []struct {
		name string
		ds   []time.Duration
	}{{"CreateFile", create}, {"commit (version, node, deployment)", commit}, {"rename", rename}, {"delete", del}} {
		fmt.Printf("| %s | %s | %d | %s | %s |\n", label, w.name, n, ms(pct(w.ds, 50)), ms(pct(w.ds, 99)))
	}
	return nil
}
