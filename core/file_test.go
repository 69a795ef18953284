package core_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/core"
)

// filesFixture is a project with an owner (alice), a developer (dave), a viewer (vera) and a workflow.
type filesFixture struct {
	s                       *core.Service
	root, alice, dave, vera *sluice.User
	ref                     sluice.ProjectRef
}

func newFilesFixture(t testing.TB) filesFixture {
	t.Helper()
	s, _ := mustOpen(t)
	ctx := context.Background()
	rootKey, err := s.Bootstrap(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, root, _ := s.Authenticate(ctx, rootKey.ID)
	fx := filesFixture{s: s, root: root, ref: sluice.ProjectByName("dw_proj")}
	for _, u := range []struct {
		p    **sluice.User
		name string
	}{{&fx.alice, "alice"}, {&fx.dave, "dave"}, {&fx.vera, "vera"}} {
		if *u.p, err = s.CreateUser(as(root), u.name, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateProject(as(fx.alice), sluice.ProjectCreate{Name: "dw_proj"}); err != nil {
		t.Fatal(err)
	}
	s.PutMember(as(fx.alice), fx.ref, "dave", sluice.RoleDeveloper)
	s.PutMember(as(fx.alice), fx.ref, "vera", sluice.RoleViewer)
	if _, err := s.CreateWorkflow(as(fx.alice), fx.ref, sluice.Workflow{Name: "sales"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

func TestService_Files(t *testing.T) {
	fx := newFilesFixture(t)
	s, ref := fx.s, fx.ref
	dev := as(fx.dave)

	t.Run("ErrViewerWrites", func(t *testing.T) {
		_, err := s.CreateFile(as(fx.vera), ref, sluice.File{Name: "x", Type: 10}, false)
		wantCode(t, err, sluice.EFORBIDDEN)
		_, err = s.CreateFolder(as(fx.vera), ref, "业务流程/sales/MaxCompute")
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		_, err := s.CreateFile(dev, ref, sluice.File{Name: "x", Type: 12345}, false)
		wantCode(t, err, sluice.EINVALID)
		_, err = s.CreateFile(dev, ref, sluice.File{Name: "x", Type: 10, UseType: "BOGUS"}, false)
		wantCode(t, err, sluice.EINVALID)
		_, err = s.CreateFile(dev, ref, sluice.File{Name: "a/b", Type: 10}, false)
		wantCode(t, err, sluice.EINVALID)
		_, err = s.CreateFile(dev, ref, sluice.File{Name: "x", Type: 10, FolderPath: "业务流程/sales/MaxCompute/none"}, false)
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.CreateFolder(dev, ref, "业务流程/nosuchflow/MaxCompute")
		wantCode(t, err, sluice.ENOTFOUND)
		_, err = s.CreateFile(dev, ref, sluice.File{Name: "x", Type: 10, Schedule: sluice.Schedule{AutoRerunTimes: 11}}, false)
		wantCode(t, err, sluice.EINVALID)
	})

	f, err := s.CreateFile(dev, ref, sluice.File{Name: "ods_orders_di", Type: 10, Content: "select 1;",
		FolderPath: "Business Flow/sales/MaxCompute/ods"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.FolderID == "" || f.WorkflowID == 0 || f.Owner != itoa(fx.dave.ID) || f.CommitStatus != sluice.Uncommitted || f.ParentID != -1 {
		t.Fatalf("created %+v", f)
	}
	// The English root finds the folder the Chinese one names.
	folder, err := s.FindFolder(as(fx.vera), ref, "", "业务流程/sales/MaxCompute/ods")
	if err != nil || folder.ID != f.FolderID {
		t.Fatalf("folder by the other root: %+v %v", folder, err)
	}

	d, err := s.SubmitFile(dev, ref, f.ID, "first")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindFile(as(fx.vera), ref, f.ID)
	if got.CommitStatus != sluice.Committed || got.CurrentVersion != 1 || got.NodeID == 0 || d.ID == 0 {
		t.Fatalf("after submit: %+v, deployment %+v", got, d)
	}
	if _, err := s.UpdateFile(dev, ref, f.ID, sluice.FileUpdate{}); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.FindFile(dev, ref, f.ID); got.CommitStatus != sluice.Committed {
		t.Fatal("an empty update uncommitted the file")
	}
	content := "insert overwrite table ods_orders select * from src;"
	if _, err := s.UpdateFile(dev, ref, f.ID, sluice.FileUpdate{Content: &content}); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.FindFile(dev, ref, f.ID); got.CommitStatus != sluice.Uncommitted || got.Content != content {
		t.Fatalf("after edit: %+v", got)
	}
	node, err := s.FindNode(as(fx.vera), got.NodeID, sluice.EnvDev)
	if err != nil || node.FileVersion != 1 {
		t.Fatalf("DEV node %+v %v", node, err)
	}
	if _, err := s.FindNode(as(fx.vera), got.NodeID, sluice.EnvProd); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("PROD node before deploy: %v", err)
	}
	if _, err := s.DeployFile(dev, ref, f.ID, "ship"); err != nil {
		t.Fatal(err)
	}
	if node, err = s.FindNode(as(fx.vera), got.NodeID, sluice.EnvProd); err != nil || node.FileVersion != 1 {
		t.Fatalf("PROD node %+v %v", node, err)
	}
	t.Run("ErrNodeOfAnotherProject", func(t *testing.T) {
		outsider, _ := s.CreateUser(as(fx.root), "otto", "")
		_, err := s.FindNode(as(outsider), got.NodeID, sluice.EnvDev)
		wantCode(t, err, sluice.EFORBIDDEN)
	})
	depID, err := s.DeleteFile(dev, ref, f.ID)
	if err != nil || depID == 0 {
		t.Fatalf("delete committed file: %d %v", depID, err)
	}
	if _, err := s.FindFile(dev, ref, f.ID); sluice.ErrorCode(err) != sluice.ENOTFOUND {
		t.Fatalf("file after delete: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
