package e2e

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/sluicetest"
)

// commitColumns commits file id of project pid as its next version through the server's store, with the
// table lineage of the edges' tables and the edges as its column lineage: what SubmitFile records once the
// column extractor fills the core's seam (core's columnLineage), which a commit through the wire cannot yet.
func commitColumns(t *testing.T, srv *sluicetest.Server, pid, id int64, edges ...sluice.ColumnEdge) {
	t.Helper()
	var ins, outs []string
	for _, e := range edges {
		if c, err := sluice.ParseColumnGuid(e.Target); err == nil && !slices.Contains(outs, c.Table.Guid()) {
			outs = append(outs, c.Table.Guid())
		}
		if c, err := sluice.ParseColumnGuid(e.Source); err == nil && !slices.Contains(ins, c.Table.Guid()) {
			ins = append(ins, c.Table.Guid())
		}
	}
	_, err := srv.Server.DB.ChangeFile(t.Context(), pid, id, func(f *sluice.File) (*sluice.FileChange, error) {
		version, change := f.CurrentVersion+1, sluice.ChangeUpdate
		if version == 1 {
			change = sluice.ChangeCreate
		}
		l := &sluice.VersionLineage{FileID: f.ID, Version: version, Parsed: true, Dialect: "odps", Inputs: ins, Outputs: outs, Columns: edges}
		v := &sluice.FileVersion{FileID: f.ID, Version: version, Name: f.Name, Content: f.Content,
			Properties: sluice.FileProperties{Type: f.Type, Owner: f.Owner, FolderPath: f.FolderPath}, Schedule: f.Schedule,
			NodeID: f.NodeID, CommitUser: f.Owner, ChangeType: change, Status: sluice.VersionCommitted, UseType: f.UseType}
		n := &sluice.Node{ID: f.NodeID, ProjectID: f.ProjectID, Env: sluice.EnvDev, FileID: f.ID, FileVersion: version,
			WorkflowID: f.WorkflowID, Name: f.Name, FileType: f.Type, Owner: f.Owner, Schedule: f.Schedule}
		f.CommitStatus, f.CurrentVersion = sluice.Committed, version
		return &sluice.FileChange{File: f, Version: v, Lineage: l, Node: n,
			Deployment: &sluice.Deployment{Name: f.Name, Status: sluice.DeploymentSuccess, Creator: f.Owner, Handler: f.Owner,
				From: sluice.EnvCodeLocal, To: sluice.EnvCodeDev, Items: []sluice.DeployedItem{{FileID: f.ID, FileVersion: version, Status: 1}}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDataWorks_ColumnLineage drives GetMetaColumnLineage and GetMetaTableColumn's RelationCount through the
// old SDK's typed client: up and down, paging with the total, a re-commit replacing a version's edges, the
// seed-003 refusals and a caller who may not read the project.
func TestDataWorks_ColumnLineage(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "col_dw"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "col_dw"}
	catalogSQL(t, srv, "col_dw", `
CREATE TABLE ods_orders (id BIGINT, price DOUBLE, qty BIGINT, shop_id BIGINT);
CREATE TABLE dws_orders (amount DOUBLE, order_cnt BIGINT, ds STRING);
`)
	const (
		id, price, qty          = "odps.col_dw.ods_orders.id", "odps.col_dw.ods_orders.price", "odps.col_dw.ods_orders.qty"
		amount, orderCnt, ds    = "odps.col_dw.dws_orders.amount", "odps.col_dw.dws_orders.order_cnt", "odps.col_dw.dws_orders.ds"
		adsAmount, adsAmountTax = "odps.col_dw.ads_orders.amount", "odps.col_dw.ads_orders.amount_tax"
	)
	dws := w.sqlFile("dws_orders", "-- column lineage committed through the store")
	commitColumns(t, srv, w.id, dws,
		sluice.ColumnEdge{Target: amount, Source: price, Kind: sluice.ColumnExpression},
		sluice.ColumnEdge{Target: amount, Source: qty, Kind: sluice.ColumnExpression},
		sluice.ColumnEdge{Target: orderCnt, Source: id, Kind: sluice.ColumnAggregation},
		sluice.ColumnEdge{Target: ds, Kind: sluice.ColumnConstant})
	ads := w.sqlFile("ads_orders", "-- column lineage committed through the store")
	commitColumns(t, srv, w.id, ads,
		sluice.ColumnEdge{Target: adsAmount, Source: amount, Kind: sluice.ColumnDirect},
		sluice.ColumnEdge{Target: adsAmountTax, Source: amount, Kind: sluice.ColumnExpression})

	lineage := func(c *dataworks.Client, guid, dir string, num, size int) (dataworks.DataInGetMetaColumnLineage, error) {
		req := dataworks.CreateGetMetaColumnLineageRequest()
		req.ColumnGuid, req.Direction = guid, dir
		if num != 0 {
			req.PageNum = requests.NewInteger(num)
		}
		if size > 0 {
			req.PageSize = requests.NewInteger(size)
		}
		resp, err := c.GetMetaColumnLineage(req)
		if err != nil {
			return dataworks.DataInGetMetaColumnLineage{}, err
		}
		if !resp.Success {
			t.Fatalf("GetMetaColumnLineage %s %s: not a success: %+v", guid, dir, resp)
		}
		return resp.Data, nil
	}
	guids := func(d dataworks.DataInGetMetaColumnLineage) []string {
		out := []string{}
		for _, e := range d.DataEntityList {
			out = append(out, e.ColumnGuid)
		}
		return out
	}

	t.Run("UpAndDown", func(t *testing.T) {
		d := must(lineage(dw, amount, "up", 0, 0))(t)
		if got := guids(d); !slices.Equal(got, []string{price, qty}) || d.TotalCount != 2 || d.PageNum != 1 || d.PageSize != 10 {
			t.Fatalf("up = %v %+v", got, d)
		}
		e := d.DataEntityList[0]
		if e.ColumnName != "price" || e.TableName != "ods_orders" || e.DatabaseName != "col_dw" || e.TableGuid != "odps.col_dw.ods_orders" {
			t.Errorf("entity = %+v", e)
		}
		d = must(lineage(dw, amount, "down", 0, 0))(t)
		if got := guids(d); !slices.Equal(got, []string{adsAmount, adsAmountTax}) || d.TotalCount != 2 {
			t.Fatalf("down = %v %+v", got, d)
		}
		// A constant has no upstream column; the column may be named by its parts instead of its guid.
		if d := must(lineage(dw, ds, "up", 0, 0))(t); len(d.DataEntityList) != 0 || d.TotalCount != 0 {
			t.Fatalf("constant up = %+v", d)
		}
		req := dataworks.CreateGetMetaColumnLineageRequest()
		req.DataSourceType, req.DatabaseName, req.TableName, req.ColumnName, req.Direction = "odps", "col_dw", "ODS_Orders", "ID", "down"
		if got := guids(must(dw.GetMetaColumnLineage(req))(t).Data); !slices.Equal(got, []string{orderCnt}) {
			t.Fatalf("down by parts = %v", got)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		p1 := must(lineage(dw, amount, "down", 1, 1))(t)
		p2 := must(lineage(dw, amount, "down", 2, 1))(t)
		p3 := must(lineage(dw, amount, "down", 3, 1))(t)
		if !slices.Equal(guids(p1), []string{adsAmount}) || !slices.Equal(guids(p2), []string{adsAmountTax}) || len(p3.DataEntityList) != 0 ||
			p1.TotalCount != 2 || p3.TotalCount != 2 || p2.PageNum != 2 || p2.PageSize != 1 {
			t.Fatalf("pages = %+v / %+v / %+v", p1, p2, p3)
		}
	})

	t.Run("RelationCount", func(t *testing.T) {
		req := dataworks.CreateGetMetaTableColumnRequest()
		req.TableGuid = "odps.col_dw.dws_orders"
		got := map[string]int64{}
		for _, c := range must(dw.GetMetaTableColumn(req))(t).Data.ColumnList {
			got[c.ColumnName] = c.RelationCount
		}
		// amount: price and qty up, two ads columns down; order_cnt: id; ds: a constant, no relation.
		if got["amount"] != 4 || got["order_cnt"] != 1 || got["ds"] != 0 || len(got) != 3 {
			t.Fatalf("RelationCount = %v", got)
		}
	})

	t.Run("Recommit", func(t *testing.T) {
		// Version 2 of ads_orders no longer writes amount_tax: the current version's edges replace version 1's.
		commitColumns(t, srv, w.id, ads, sluice.ColumnEdge{Target: adsAmount, Source: amount, Kind: sluice.ColumnDirect})
		d := must(lineage(dw, amount, "down", 0, 0))(t)
		if got := guids(d); !slices.Equal(got, []string{adsAmount}) || d.TotalCount != 1 {
			t.Fatalf("down after re-commit = %v", got)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		for _, tc := range []struct {
			guid, dir, code string
		}{
			{"odps.col_dw.nosuch.c", "up", "InvalidParameter.Meta.NotExist"},
			{"odps.col_dw", "up", "InvalidParameter.Meta.Illegal"},
			{"mysql.db.t.c", "up", "InvalidParameter.Meta.Illegal"},
			{amount, "sideways", "InvalidParameter.Meta.CommonError"},
			{amount, "", "InvalidParameter.Meta.CommonError"},
			{"", "up", "InvalidParameter.Meta.CommonError"},
		} {
			_, err := lineage(dw, tc.guid, tc.dir, 0, 0)
			wantErr(t, tc.guid+" "+tc.dir, err, tc.code)
		}
		_, err := lineage(dw, amount, "up", 1, 101)
		wantErr(t, "PageSize 101", err, "InvalidParameter.Meta.CommonError")
		_, err = lineage(dw, amount, "up", -1, 10)
		wantErr(t, "PageNum -1", err, "InvalidParameter.Meta.CommonError")
	})

	t.Run("Forbidden", func(t *testing.T) {
		cl := srv.Client()
		if _, err := cl.CreateUser(t.Context(), "bob", "member"); err != nil {
			t.Fatal(err)
		}
		k, err := cl.CreateKey(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		bob := newDataWorks(t, srv.Endpoint, k.AccessKeyID, k.AccessKeySecret)
		_, err = lineage(bob, amount, "up", 0, 0)
		code, status := oldErr(t, err)
		if code != "Forbidden.Access" || status != http.StatusForbidden {
			t.Fatalf("bob: got %s (HTTP %d)", code, status)
		}
	})
}

// TestDataWorks_ColumnLineageFromCommit: SubmitFile parses the committed script's column lineage, naming the
// target's columns after the catalogue's schema (DDL run first), and GetMetaColumnLineage and
// GetMetaTableColumn answer it through the old SDK; a re-commit replaces it.
func TestDataWorks_ColumnLineageFromCommit(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "colc_dw"
	w := &workspace{t: t, dw: dw, id: must(dw.CreateProject(preq))(t).Data, name: "colc_dw"}
	catalogSQL(t, srv, "colc_dw", `
CREATE TABLE ods_orders (id BIGINT, price DOUBLE, qty BIGINT, shop_id BIGINT) PARTITIONED BY (ds STRING);
CREATE TABLE dws_shop (shop BIGINT, revenue DOUBLE, orders BIGINT) PARTITIONED BY (ds STRING);
`)
	// Positional: the select list's names (shop_id, x, n) are not the target's (shop, revenue, orders).
	id := w.sqlFile("dws_shop", `INSERT OVERWRITE TABLE dws_shop PARTITION (ds = '${bizdate}')
SELECT shop_id, SUM(price * qty) AS x, COUNT(id) AS n FROM ods_orders WHERE ds = '${bizdate}' GROUP BY shop_id;`)
	w.submit(id)

	up := func(guid string) []string {
		t.Helper()
		req := dataworks.CreateGetMetaColumnLineageRequest()
		req.ColumnGuid, req.Direction = guid, "up"
		resp := must(dw.GetMetaColumnLineage(req))(t)
		out := []string{}
		for _, e := range resp.Data.DataEntityList {
			out = append(out, e.ColumnGuid)
		}
		slices.Sort(out)
		return out
	}
	const p = "odps.colc_dw."
	for guid, want := range map[string][]string{
		p + "dws_shop.shop":    {p + "ods_orders.shop_id"},
		p + "dws_shop.revenue": {p + "ods_orders.price", p + "ods_orders.qty"},
		p + "dws_shop.orders":  {p + "ods_orders.id"},
		p + "dws_shop.ds":      {}, // a constant partition value
	} {
		if got := up(guid); !slices.Equal(got, want) {
			t.Errorf("%s up = %v, want %v", guid, got, want)
		}
	}

	// The native API's lineage as of version 1 carries the same edges.
	v1, err := srv.Client().FileVersionLineage(context.Background(), "colc_dw", id, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got1 []string
	for _, c := range v1.Columns {
		got1 = append(got1, c.Target+"<-"+c.Source+":"+c.Kind)
	}
	slices.Sort(got1)
	want1 := []string{p + "dws_shop.ds<-:constant", p + "dws_shop.orders<-" + p + "ods_orders.id:aggregation",
		p + "dws_shop.revenue<-" + p + "ods_orders.price:aggregation", p + "dws_shop.revenue<-" + p + "ods_orders.qty:aggregation",
		p + "dws_shop.shop<-" + p + "ods_orders.shop_id:direct"}
	if !slices.Equal(got1, want1) {
		t.Errorf("version 1's column lineage (native) = %v, want %v", got1, want1)
	}

	// A re-commit replaces the version's column lineage.
	w.setContent(id, `INSERT OVERWRITE TABLE dws_shop PARTITION (ds = '${bizdate}')
SELECT shop_id, SUM(price) AS x, COUNT(*) AS n FROM ods_orders WHERE ds = '${bizdate}' GROUP BY shop_id;`)
	w.submit(id)
	if got, want := up(p+"dws_shop.revenue"), []string{p + "ods_orders.price"}; !slices.Equal(got, want) {
		t.Errorf("after the re-commit, revenue up = %v, want %v", got, want)
	}
	if got := up(p + "dws_shop.orders"); len(got) != 0 {
		t.Errorf("after the re-commit, orders (COUNT(*)) up = %v, want none", got)
	}
}
