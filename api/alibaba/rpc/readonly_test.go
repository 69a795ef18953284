package rpc

import (
	"slices"
	"strings"
	"testing"

	"github.com/sluice-dev/sluice/core"
)

// reviewedReads are the registered actions served while their nonce is being recorded (readOnly): each was
// checked to change nothing. A replayed request is refused only after its action ran, so an action that
// writes must never be among them; a new Get... or List... action fails this test until someone checks it
// only reads and adds it here (or renames it).
var reviewedReads = []string{
	"GetBusiness", "GetDeployment", "GetFile", "GetFileVersion", "GetFolder", "GetMetaColumnLineage",
	"GetMetaTableBasicInfo", "GetMetaTableColumn", "GetMetaTableLineage", "GetMetaTableProducingTasks",
	"GetNode", "GetNodeChildren", "GetNodeParents", "GetProject",
	"ListBusiness", "ListFileType", "ListFileVersions", "ListFiles", "ListFolders", "ListLineage", "ListNodes",
	"ListProjects",
}

func TestReadOnlyActionsAreReviewed(t *testing.T) {
	var svc *core.Service // every service present, so that every action is registered
	s := New(Services{Projects: svc, Files: svc, Lineage: svc, Catalog: svc}, nil)
	var reads []string
	for key := range s.actions {
		name := key[strings.IndexByte(key, '/')+1:]
		if readOnly(name) && !slices.Contains(reads, name) {
			reads = append(reads, name)
		}
	}
	slices.Sort(reads)
	for _, name := range reads {
		if !slices.Contains(reviewedReads, name) {
			t.Errorf("action %s is served before its nonce is recorded (readOnly), but nobody checked that it only reads: check it and add it to reviewedReads", name)
		}
	}
	if len(reads) == 0 {
		t.Fatal("no read-only action registered: the test no longer sees the registry")
	}
}
