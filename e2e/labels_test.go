package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
)

// TestMaxCompute_LabelsFollowTheData: a column a committed script derives from a labelled column of another
// project carries its label. GetTableInfo shows declared and effective labels (the generated model still
// decodes the answer), UpdatePackage refuses to share the column below its label and accepts at it, and
// `sluice sql` DESC shows both, as a box and as JSON.
func TestMaxCompute_LabelsFollowTheData(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	var w *workspace
	for _, name := range []string{"crm_dw", "sales_dw", "mkt_dw"} {
		req := dataworks.CreateCreateProjectRequest()
		req.ProjectIdentifier = name
		id := must(dw.CreateProject(req))(t).Data
		if name == "sales_dw" {
			w = &workspace{t: t, dw: dw, id: id, name: name}
		}
	}
	catalogSQL(t, srv, "crm_dw", "CREATE TABLE users (id BIGINT, phone STRING); SET LABEL 3 TO TABLE users (phone);")
	catalogSQL(t, srv, "sales_dw", "CREATE TABLE dws_users (id BIGINT, phone STRING) COMMENT 'users'; SET LABEL 1 TO TABLE dws_users (id);")
	w.submit(w.sqlFile("dws_users", "INSERT OVERWRITE TABLE dws_users SELECT id, phone FROM crm_dw.users;"))
	const source = "odps.crm_dw.users.phone"
	m := newMC(t, srv, srv.AccessKeyID, srv.AccessKeySecret, "root")

	t.Run("GetTableInfo", func(t *testing.T) {
		raw, err := m.call("GetTableInfo", "GET", "/api/v1/projects/sales_dw/tables/dws_users", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The generated model's fields, decoded as its code does: the added keys do not disturb it.
		type modelColumn struct {
			Comment *string `json:"comment,omitempty" xml:"comment,omitempty"`
			Label   *string `json:"label,omitempty" xml:"label,omitempty"`
			Name    *string `json:"name,omitempty" xml:"name,omitempty"`
			Type    *string `json:"type,omitempty" xml:"type,omitempty"`
		}
		var model struct {
			Data *struct {
				Name          *string        `json:"name,omitempty" xml:"name,omitempty"`
				TableLabel    *string        `json:"tableLabel,omitempty" xml:"tableLabel,omitempty"`
				NativeColumns []*modelColumn `json:"nativeColumns,omitempty" xml:"nativeColumns,omitempty" type:"Repeated"`
			} `json:"data,omitempty" xml:"data,omitempty" type:"Struct"`
			RequestId *string `json:"requestId,omitempty" xml:"requestId,omitempty"`
		}
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		if err := dara.Convert(body, &model); err != nil {
			t.Fatalf("the model does not decode %s: %v", raw, err)
		}
		if model.Data == nil || len(model.Data.NativeColumns) != 2 || dara.StringValue(model.Data.NativeColumns[1].Name) != "phone" ||
			dara.StringValue(model.Data.NativeColumns[1].Label) != "0" || dara.StringValue(model.Data.NativeColumns[0].Label) != "1" {
			t.Fatalf("model: %s", raw)
		}
		var info struct {
			Data struct {
				NativeColumns []struct {
					Name, Label, EffectiveLabel, LabelSource string
				} `json:"nativeColumns"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &info); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range info.Data.NativeColumns {
			got = append(got, c.Name+":"+c.Label+"/"+c.EffectiveLabel+"<"+c.LabelSource)
		}
		if want := "id:1/1< phone:0/3<" + source; strings.Join(got, " ") != want {
			t.Errorf("columns %v, want %s", got, want)
		}
	})

	t.Run("UpdatePackage", func(t *testing.T) {
		if err := m.createPackage("sales_dw", false, `{"name":"share","resourceList":{"table":[{"name":"dws_users"}]}}`); err != nil {
			t.Fatal(err)
		}
		err := m.updatePackage("sales_dw", "share", `{"add":{"allowedProjectList":[{"project":"mkt_dw","label":"2"}]}}`)
		wantRefused(t, "allowing mkt_dw at label 2", err, 403, "NoPermission")
		if err == nil || !strings.Contains(err.Error(), "Column odps.sales_dw.dws_users.phone derives from "+source+" (label 3), above the label 2 allowed to project mkt_dw") {
			t.Errorf("message: %v", err)
		}
		if err := m.updatePackage("sales_dw", "share", `{"add":{"allowedProjectList":[{"project":"mkt_dw","label":"3"}]}}`); err != nil {
			t.Fatalf("allowing mkt_dw at label 3: %v", err)
		}
	})

	t.Run("SQL", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds the binary")
		}
		c := cli{t: t, bin: buildSluice(t), addr: srv.Endpoint}.as(srv.AccessKeyID, srv.AccessKeySecret)
		out := c.run(false, "sql", "--project", "sales_dw", "-e", "DESC dws_users")
		for _, want := range []string{"| Field ", " | Label | EffectiveLabel ", "| phone ", " | 3 from " + source + " | "} {
			if !strings.Contains(out, want) {
				t.Errorf("DESC lacks %q:\n%s", want, out)
			}
		}
		var res struct {
			Results []struct {
				Table struct {
					Columns []struct {
						Name           string `json:"name"`
						Label          int    `json:"label"`
						EffectiveLabel int    `json:"effectiveLabel"`
						LabelSource    string `json:"labelSource"`
					} `json:"columns"`
				} `json:"table"`
			} `json:"results"`
		}
		out = c.run(false, "sql", "--project", "sales_dw", "--output", "json", "-e", "DESC dws_users")
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) != 1 || len(res.Results[0].Table.Columns) != 2 {
			t.Fatalf("%v\n%s", err, out)
		}
		if p := res.Results[0].Table.Columns[1]; p.Name != "phone" || p.Label != 0 || p.EffectiveLabel != 3 || p.LabelSource != source {
			t.Errorf("phone: %+v", p)
		}
	})
}
