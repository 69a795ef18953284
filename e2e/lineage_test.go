package e2e

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
)

// sqlFile creates an ODPS SQL file with AutoParsing on.
func (w *workspace) sqlFile(name, content string) int64 {
	w.t.Helper()
	req := dataworks.CreateCreateFileRequest()
	req.ProjectId, req.FileName, req.FileType, req.Content = w.pid(), name, requests.NewInteger(10), content
	req.CreateFolderIfNotExists, req.AutoParsing = requests.NewBoolean(true), requests.NewBoolean(true)
	return must(w.dw.CreateFile(req))(w.t).Data
}

func (w *workspace) setContent(id int64, content string) {
	w.t.Helper()
	req := dataworks.CreateUpdateFileRequest()
	req.ProjectId, req.FileId, req.Content = w.pid(), requests.NewInteger64(id), content
	must(w.dw.UpdateFile(req))(w.t)
}

func (w *workspace) producers(guid string) []string {
	w.t.Helper()
	req := dataworks.CreateGetMetaTableProducingTasksRequest()
	req.TableGuid, req.DataSourceType = guid, "odps"
	resp := must(w.dw.GetMetaTableProducingTasks(req))(w.t)
	out := []string{}
	for _, d := range resp.Data {
		out = append(out, d.TaskId+":"+d.TaskName)
	}
	return out
}

func (w *workspace) nodeOf(id int64) int64 {
	w.t.Helper()
	return w.getFile(id).File.NodeId
}

// TestDataWorks_Lineage drives commit-time lineage through the old SDK: producing tasks, table lineage, basic
// info, node parents and children, manual relations, and the seed-003 refusals.
func TestDataWorks_Lineage(t *testing.T) {
	w := newWorkspace(t, "lin_dw")
	p := w.name

	// An ODPS SQL file writing dwd_orders from ods_orders (unqualified: resolved against the project).
	a := w.sqlFile("load_orders", "INSERT OVERWRITE TABLE dwd_orders SELECT * FROM ods_orders;")
	w.submit(a)
	nodeA := w.nodeOf(a)
	want := []string{strconv.FormatInt(nodeA, 10) + ":load_orders"}
	if got := w.producers("odps." + p + ".dwd_orders"); !slices.Equal(got, want) {
		t.Fatalf("producers = %v, want %v", got, want)
	}
	// A table only read is catalogued but produced by nobody.
	if got := w.producers("odps." + p + ".ods_orders"); len(got) != 0 {
		t.Fatalf("read-only table producers = %v", got)
	}
	// The node's configuration gains the AUTO output.
	cfg := w.getFile(a).NodeConfiguration
	found := false
	for _, o := range cfg.OutputList {
		if o.Output == p+".dwd_orders" {
			found = true
		}
	}
	if !found {
		t.Fatalf("OutputList = %+v", cfg.OutputList)
	}

	// A second file reads dwd_orders: it is a child of the first.
	b := w.sqlFile("agg_orders", "INSERT INTO TABLE ads_orders SELECT count(*) FROM dwd_orders;")
	w.submit(b)
	nodeB := w.nodeOf(b)
	preq := dataworks.CreateGetNodeParentsRequest()
	preq.NodeId, preq.ProjectEnv = requests.NewInteger64(nodeB), "DEV"
	parents := must(w.dw.GetNodeParents(preq))(t).Data.Nodes
	if len(parents) != 1 || parents[0].NodeId != nodeA || parents[0].NodeName != "load_orders" {
		t.Fatalf("parents = %+v", parents)
	}
	creq := dataworks.CreateGetNodeChildrenRequest()
	creq.NodeId, creq.ProjectEnv = requests.NewInteger64(nodeA), "DEV"
	children := must(w.dw.GetNodeChildren(creq))(t).Data.Nodes
	if len(children) != 1 || children[0].NodeId != nodeB {
		t.Fatalf("children = %+v", children)
	}

	// Table lineage, one hop each way, with cursor paging.
	lreq := dataworks.CreateGetMetaTableLineageRequest()
	lreq.TableGuid, lreq.Direction = "odps."+p+".dwd_orders", "down"
	down := must(w.dw.GetMetaTableLineage(lreq))(t).Data
	if len(down.DataEntityList) != 1 || down.DataEntityList[0].TableGuid != "odps."+p+".ads_orders" || down.HasNext {
		t.Fatalf("down = %+v", down)
	}
	lreq.Direction = "up"
	up := must(w.dw.GetMetaTableLineage(lreq))(t).Data
	if len(up.DataEntityList) != 1 || up.DataEntityList[0].TableGuid != "odps."+p+".ods_orders" {
		t.Fatalf("up = %+v", up)
	}

	// Basic info of a catalogued table (OLD sends GET).
	breq := dataworks.CreateGetMetaTableBasicInfoRequest()
	breq.TableGuid = "odps." + p + ".ads_orders"
	info := must(w.dw.GetMetaTableBasicInfo(breq))(t).Data
	if info.TableName != "ads_orders" || info.ProjectName != p || info.ProjectId != w.id || info.TableGuid != breq.TableGuid {
		t.Fatalf("basic info = %+v", info)
	}

	// Manual relations: register, list, delete.
	rreq := dataworks.CreateRegisterLineageRelationRequest()
	rreq.LineageRelationRegisterVO.SrcEntity.QualifiedName = "maxcompute-table." + p + ".ads_orders"
	rreq.LineageRelationRegisterVO.DestEntity.QualifiedName = "maxcompute-table." + p + ".report_orders"
	rel := must(w.dw.RegisterLineageRelation(rreq))(t).LineageRelation
	if rel.RelationshipGuid == "" || rel.DestEntityQualifiedName != "maxcompute-table."+p+".report_orders" {
		t.Fatalf("relation = %+v", rel)
	}
	_, err := w.dw.RegisterLineageRelation(rreq)
	wantErr(t, "duplicate relation", err, "InvalidParameter.Meta.CommonError")
	llreq := dataworks.CreateListLineageRequest()
	llreq.EntityQualifiedName, llreq.Direction = "maxcompute-table."+p+".ads_orders", "down"
	list := must(w.dw.ListLineage(llreq))(t).Data.DataEntityList
	if len(list) != 1 || list[0].Entity.QualifiedName != "maxcompute-table."+p+".report_orders" ||
		len(list[0].RelationList) != 1 || list[0].RelationList[0].Channel != "MANUAL" || list[0].RelationList[0].Guid != rel.RelationshipGuid {
		t.Fatalf("list lineage = %+v", list)
	}
	llreq.EntityQualifiedName, llreq.Direction = "maxcompute-table."+p+".ads_orders", "up"
	list = must(w.dw.ListLineage(llreq))(t).Data.DataEntityList
	if len(list) != 1 || list[0].RelationList[0].Channel != "AUTO" {
		t.Fatalf("list lineage up = %+v", list)
	}
	dreq := dataworks.CreateDeleteLineageRelationRequest()
	dreq.SrcEntityQualifiedName, dreq.DestEntityQualifiedName = rreq.LineageRelationRegisterVO.SrcEntity.QualifiedName, rreq.LineageRelationRegisterVO.DestEntity.QualifiedName
	if !must(w.dw.DeleteLineageRelation(dreq))(t).Status {
		t.Fatal("delete relation: Status false")
	}
	if must(w.dw.DeleteLineageRelation(dreq))(t).Status {
		t.Fatal("second delete relation: Status true")
	}

	// Unparseable SQL never fails a commit: the parsable statements still count.
	c := w.sqlFile("broken", "INSERT INTO TABLE broken_out SELECT * FROM ods_orders;\nSELECT FROM WHERE ((;")
	w.submit(c)
	if got := w.producers("odps." + p + ".broken_out"); len(got) != 1 {
		t.Fatalf("broken producers = %v", got)
	}

	// A re-commit that stops writing the table drops out.
	w.setContent(a, "SELECT count(*) FROM ods_orders;")
	w.submit(a)
	if got := w.producers("odps." + p + ".dwd_orders"); len(got) != 0 {
		t.Fatalf("after re-commit producers = %v", got)
	}
	// So does a deleted file.
	dfreq := dataworks.CreateDeleteFileRequest()
	dfreq.ProjectId, dfreq.FileId = w.pid(), requests.NewInteger64(b)
	must(w.dw.DeleteFile(dfreq))(t)
	if got := w.producers("odps." + p + ".ads_orders"); len(got) != 0 {
		t.Fatalf("after delete producers = %v", got)
	}

	// Bad input: the seed-003 codes and statuses.
	for _, tc := range []struct {
		guid, ds, code string
		status         int
	}{
		{"", "", "InvalidParameter.Meta.CommonError", 400},
		{"odps." + p, "", "InvalidParameter.Meta.Illegal", 400},
		{"hive.x.y", "", "InvalidParameter.Meta.Illegal", 400},
		{"odps." + p + ".no_such_table", "", "InvalidParameter.Meta.NotExist", 400},
		{"odps." + p + ".dwd_orders", "emr", "InvalidParameter.Meta.CommonError", 400},
	} {
		req := dataworks.CreateGetMetaTableProducingTasksRequest()
		req.TableGuid, req.DataSourceType = tc.guid, tc.ds
		_, err := w.dw.GetMetaTableProducingTasks(req)
		code, status := oldErr(t, err)
		if code != tc.code || status != tc.status {
			t.Errorf("%q/%q: got %s (HTTP %d), want %s (HTTP %d)", tc.guid, tc.ds, code, status, tc.code, tc.status)
		}
	}
}

// TestDataWorks_LineageForbidden: a table catalogued only in a project the caller may not read is
// Forbidden.Access (403); its producers are never shown.
func TestDataWorks_LineageForbidden(t *testing.T) {
	srv := newServer(t)
	root := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	cl := srv.Client()
	ctx := t.Context()
	if _, err := cl.CreateUser(ctx, "bob", "member"); err != nil {
		t.Fatal(err)
	}
	k, err := cl.CreateKey(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	bob := newDataWorks(t, srv.Endpoint, k.AccessKeyID, k.AccessKeySecret)

	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "secret_dw"
	pid := must(root.CreateProject(preq))(t).Data
	w := &workspace{t: t, dw: root, id: pid, name: "secret_dw"}
	w.submit(w.sqlFile("s", "INSERT INTO TABLE hidden SELECT 1 FROM src;"))

	req := dataworks.CreateGetMetaTableProducingTasksRequest()
	req.TableGuid = "odps.secret_dw.hidden"
	_, err = bob.GetMetaTableProducingTasks(req)
	code, status := oldErr(t, err)
	if code != "Forbidden.Access" || status != http.StatusForbidden {
		t.Fatalf("bob: got %s (HTTP %d)", code, status)
	}
	if got := w.producers("odps.secret_dw.hidden"); len(got) != 1 {
		t.Fatalf("root producers = %v", got)
	}
}

// TestNative_LineageGraph: the native graph (multi-hop, truncation flag) and lineage as of a version.
func TestNative_LineageGraph(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "lin_graph"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "lin_graph"}
	a := w.sqlFile("a", "INSERT INTO TABLE t1 SELECT * FROM t0;")
	w.submit(a)
	w.submit(w.sqlFile("b", "INSERT INTO TABLE t2 SELECT * FROM t1;"))
	c := w.sqlFile("c", "INSERT INTO TABLE t3 SELECT * FROM t2 JOIN t1 ON t1.k = t2.k;\nSELECT FROM ((;")
	w.submit(c)
	cl := srv.Client()
	ctx := t.Context()

	g, err := cl.LineageGraph(ctx, "odps.lin_graph.t0", "down", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	// t0 a t1 b t2 c t3: 7 nodes; edges t0-a a-t1 t1-b b-t2 t2-c t1-c c-t3.
	if g.Truncated || len(g.Nodes) != 7 || len(g.Edges) != 7 || g.Nodes[len(g.Nodes)-1].ID != "odps.lin_graph.t3" {
		t.Fatalf("graph = %+v", g)
	}
	g, err = cl.LineageGraph(ctx, "odps.lin_graph.t3", "up", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 4 { // t3, c, t1, t2
		t.Fatalf("up graph = %+v", g)
	}
	g, err = cl.LineageGraph(ctx, "odps.lin_graph.t0", "down", 10, 2)
	if err != nil || !g.Truncated || len(g.Nodes) != 2 {
		t.Fatalf("limited graph = %+v, %v", g, err)
	}
	if _, err := cl.LineageGraph(ctx, "odps.lin_graph.t0", "sideways", 1, 0); err == nil {
		t.Fatal("bad direction accepted")
	}

	// Lineage as of version 1 of a, then a re-commit that reads t9 instead; version 1 keeps its answer.
	w.setContent(a, "INSERT INTO TABLE t1 SELECT * FROM t9;")
	w.submit(a)
	v1, err := cl.FileVersionLineage(ctx, "lin_graph", a, 1)
	if err != nil || !v1.Parsed || !slices.Equal(v1.Inputs, []string{"odps.lin_graph.t0"}) {
		t.Fatalf("v1 = %+v, %v", v1, err)
	}
	v2, err := cl.FileVersionLineage(ctx, "lin_graph", a, 2)
	if err != nil || !slices.Equal(v2.Inputs, []string{"odps.lin_graph.t9"}) {
		t.Fatalf("v2 = %+v, %v", v2, err)
	}
	vc, err := cl.FileVersionLineage(ctx, "lin_graph", c, 1)
	if err != nil || len(vc.Errors) != 1 || vc.Errors[0].Statement != 2 {
		t.Fatalf("errors of c = %+v, %v", vc, err)
	}
}
