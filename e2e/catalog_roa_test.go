package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/core"
	"github.com/sluice-dev/sluice/sluicetest"
)

// catalogSQL runs metadata statements in project as the root user, through the native API's RunSQL: DDL has
// no DataWorks or 2022-01-04 operation.
func catalogSQL(t *testing.T, srv *sluicetest.Server, project, script string) {
	t.Helper()
	if _, err := srv.Client().RunSQL(t.Context(), project, script); err != nil {
		t.Fatalf("RunSQL: %v", err)
	}
}

// TestDataWorks_MetaTableCatalogue drives GetMetaTableBasicInfo and GetMetaTableColumn through the old SDK's
// typed client over a table made by DDL: the catalogue's columns, partitioning and comments, paged columns,
// and the seed-003 refusals.
func TestDataWorks_MetaTableCatalogue(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	preq := dataworks.CreateCreateProjectRequest()
	preq.ProjectIdentifier = "meta_dw"
	pid := must(dw.CreateProject(preq))(t).Data
	since := time.Now()
	catalogSQL(t, srv, "meta_dw", `
CREATE TABLE orders (id BIGINT COMMENT 'order id', amount DECIMAL(10,2), buyer STRING, note STRING COMMENT 'free text')
  COMMENT 'all orders' PARTITIONED BY (ds STRING COMMENT 'day', region STRING) LIFECYCLE 30;
CREATE VIEW v_orders AS SELECT id FROM orders;
`)

	t.Run("BasicInfo", func(t *testing.T) {
		req := dataworks.CreateGetMetaTableBasicInfoRequest()
		req.TableGuid = "odps.meta_dw.orders"
		d := must(dw.GetMetaTableBasicInfo(req))(t).Data
		if d.TableGuid != "odps.meta_dw.orders" || d.TableName != "orders" || d.ProjectName != "meta_dw" || d.ProjectId != pid ||
			d.ColumnCount != 6 || d.Comment != "all orders" || d.LifeCycle != 30 || !d.IsPartitionTable || d.PartitionKeys != "ds,region" ||
			d.IsView || d.OwnerId != core.RootUser || d.EnvType != 1 {
			t.Errorf("basic info = %+v", d)
		}
		if created := time.UnixMilli(d.CreateTime); created.Before(since.Add(-time.Second)) || created.After(time.Now().Add(time.Second)) ||
			d.LastDdlTime < d.CreateTime {
			t.Errorf("CreateTime %d, LastDdlTime %d", d.CreateTime, d.LastDdlTime)
		}
		req = dataworks.CreateGetMetaTableBasicInfoRequest()
		req.DatabaseName, req.TableName = "meta_dw", "v_orders"
		v := must(dw.GetMetaTableBasicInfo(req))(t).Data
		if !v.IsView || v.IsPartitionTable || v.TableGuid != "odps.meta_dw.v_orders" {
			t.Errorf("view basic info = %+v", v)
		}
	})

	t.Run("Columns", func(t *testing.T) {
		page := func(num, size int) dataworks.DataInGetMetaTableColumn {
			t.Helper()
			req := dataworks.CreateGetMetaTableColumnRequest()
			req.TableGuid = "odps.meta_dw.orders"
			if num > 0 {
				req.PageNum = requests.NewInteger(num)
			}
			if size > 0 {
				req.PageSize = requests.NewInteger(size)
			}
			resp := must(dw.GetMetaTableColumn(req))(t)
			if !resp.Success || resp.HttpStatusCode != 200 {
				t.Errorf("envelope: Success %v HttpStatusCode %d", resp.Success, resp.HttpStatusCode)
			}
			return resp.Data
		}
		var got []string
		for num := 1; num <= 3; num++ {
			d := page(num, 4)
			if d.PageNum != num || d.PageSize != 4 || d.TotalCount != 6 {
				t.Errorf("page %d: PageNum %d PageSize %d TotalCount %d", num, d.PageNum, d.PageSize, d.TotalCount)
			}
			for _, c := range d.ColumnList {
				got = append(got, fmt.Sprintf("%d %s %s %q part=%v guid=%s", c.Position, c.ColumnName, c.ColumnType, c.Comment,
					c.IsPartitionColumn, c.ColumnGuid))
				if c.IsPrimaryKey || c.IsForeignKey || c.Caption != "" || c.RelationCount != 0 {
					t.Errorf("column %+v", c)
				}
			}
			if want := []int{4, 2, 0}[num-1]; len(d.ColumnList) != want {
				t.Errorf("page %d has %d columns, want %d", num, len(d.ColumnList), want)
			}
		}
		want := []string{
			`1 id bigint "order id" part=false guid=odps.meta_dw.orders.id`,
			`2 amount decimal(10,2) "" part=false guid=odps.meta_dw.orders.amount`,
			`3 buyer string "" part=false guid=odps.meta_dw.orders.buyer`,
			`4 note string "free text" part=false guid=odps.meta_dw.orders.note`,
			`5 ds string "day" part=true guid=odps.meta_dw.orders.ds`,
			`6 region string "" part=true guid=odps.meta_dw.orders.region`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("columns:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if d := page(0, 0); d.PageNum != 1 || d.PageSize != 10 || len(d.ColumnList) != 6 {
			t.Errorf("default page = %+v", d)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		cl := srv.Client()
		if _, err := cl.CreateUser(t.Context(), "bob", "member"); err != nil {
			t.Fatal(err)
		}
		k, err := cl.CreateKey(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		bob := newDataWorks(t, srv.Endpoint, k.AccessKeyID, k.AccessKeySecret)
		for _, tc := range []struct {
			name, guid, num, size string
			client                *dataworks.Client
			code                  string
			status                int
		}{
			{"NoGuid", "", "", "", dw, "InvalidParameter.Meta.CommonError", 400},
			{"Illegal", "odps.meta_dw", "", "", dw, "InvalidParameter.Meta.Illegal", 400},
			{"Unknown", "odps.meta_dw.nothing", "", "", dw, "InvalidParameter.Meta.NotExist", 400},
			{"PageSizeTooBig", "odps.meta_dw.orders", "", "101", dw, "InvalidParameter.Meta.CommonError", 400},
			{"PageNumZero", "odps.meta_dw.orders", "0", "", dw, "InvalidParameter.Meta.CommonError", 400},
			{"PageNumWord", "odps.meta_dw.orders", "one", "", dw, "InvalidParameter.Meta.CommonError", 400},
			{"NonMember", "odps.meta_dw.orders", "", "", bob, "Forbidden.Access", http.StatusForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := dataworks.CreateGetMetaTableColumnRequest()
				req.TableGuid, req.PageNum, req.PageSize = tc.guid, requests.Integer(tc.num), requests.Integer(tc.size)
				_, err := tc.client.GetMetaTableColumn(req)
				if code, status := oldErr(t, err); code != tc.code || status != tc.status {
					t.Errorf("GetMetaTableColumn: %s (HTTP %d), want %s (HTTP %d)", code, status, tc.code, tc.status)
				}
				if tc.num != "" || tc.size != "" {
					return
				}
				breq := dataworks.CreateGetMetaTableBasicInfoRequest()
				breq.TableGuid = tc.guid
				_, err = tc.client.GetMetaTableBasicInfo(breq)
				if code, status := oldErr(t, err); code != tc.code || status != tc.status {
					t.Errorf("GetMetaTableBasicInfo: %s (HTTP %d), want %s (HTTP %d)", code, status, tc.code, tc.status)
				}
			})
		}
	})
}

// TestMaxCompute_CatalogueWiring: the served binary's ROA face reaches the catalogue and the resource
// centre (the generated client's ListTables, GetTableInfo and ListPackages calls, signed ACS3).
func TestMaxCompute_CatalogueWiring(t *testing.T) {
	srv := newServer(t)
	c := daraClient(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, "")
	roa := func(action, method, path string, query map[string]*string, body *string) map[string]any {
		t.Helper()
		p := &openapi.Params{Action: dara.String(action), Version: dara.String("2022-01-04"), Protocol: dara.String("HTTPS"),
			Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
			ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
		out, err := c.CallApi(p, &openapi.OpenApiRequest{Query: query, Body: body}, &dara.RuntimeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		b, _ := json.Marshal(out["body"])
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	roa("CreateProject", "POST", "/api/v1/projects", nil, dara.String(`{"name":"wired_dw"}`))
	catalogSQL(t, srv, "wired_dw", "CREATE TABLE t1 (a BIGINT COMMENT 'the a'); CREATE TABLE t2 (b STRING);")

	tables := roa("ListTables", "GET", "/api/v1/projects/wired_dw/tables", queryOf("maxItem", "1"), nil)["data"].(map[string]any)
	if list := tables["tables"].([]any); len(list) != 1 || list[0].(map[string]any)["name"] != "t1" || tables["marker"] == "" {
		t.Errorf("ListTables = %v", tables)
	}
	info := roa("GetTableInfo", "GET", "/api/v1/projects/wired_dw/tables/t1", nil, nil)["data"].(map[string]any)
	if cols := info["nativeColumns"].([]any); len(cols) != 1 || cols[0].(map[string]any)["comment"] != "the a" {
		t.Errorf("GetTableInfo = %v", info)
	}
	roa("CreatePackage", "POST", "/api/v1/projects/wired_dw/packages", nil,
		dara.String(`{"name":"p1","resourceList":{"table":[{"name":"t2","actions":["Describe"]}]}}`))
	pkgs := roa("ListPackages", "GET", "/api/v1/projects/wired_dw/packages", nil, nil)["data"].(map[string]any)
	if created := pkgs["createdPackages"].([]any); len(created) != 1 || created[0].(map[string]any)["name"] != "p1" {
		t.Errorf("ListPackages = %v", pkgs)
	}
	res := roa("ListResources", "GET", "/api/v1/projects/wired_dw/resources", nil, nil)["data"].(map[string]any)
	if list, _ := res["resources"].([]any); len(list) != 0 {
		t.Errorf("ListResources = %v", res)
	}
}
