package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/maxcompute"
)

func newDataWorks(t *testing.T, endpoint, id, secret string) *dataworks.Client {
	t.Helper()
	c, err := dataworks.NewClientWithOptions("cn-hangzhou", oldConfig(), oldCredential(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = endpoint
	return c
}

// TestRPC_OldSDK_DataWorks drives the DataWorks project actions through the old SDK's generated client
// (HMAC-SHA1, parameters in the query), in JSON and in XML.
func TestRPC_OldSDK_DataWorks(t *testing.T) {
	srv := newServer(t)
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)

	ids := map[string]int64{}
	for _, name := range []string{"sales_dw", "ads_report", "ods_log"} {
		req := dataworks.CreateCreateProjectRequest()
		req.ProjectIdentifier = name
		req.ProjectName = "Display " + name
		req.ProjectDescription = "about " + name
		resp, err := dw.CreateProject(req)
		if err != nil {
			t.Fatalf("CreateProject %s: %v", name, err)
		}
		if !resp.Success || resp.Data < 10000 || resp.RequestId == "" {
			t.Fatalf("CreateProject = %+v", resp)
		}
		ids[name] = resp.Data
	}

	get := dataworks.CreateGetProjectRequest()
	get.ProjectId = requests.NewInteger64(ids["sales_dw"])
	resp, err := dw.GetProject(get)
	if err != nil {
		t.Fatal(err)
	}
	d := resp.Data
	if d.ProjectIdentifier != "sales_dw" || d.ProjectName != "Display sales_dw" || d.ProjectDescription != "about sales_dw" ||
		int64(d.ProjectId) != ids["sales_dw"] || len(d.EnvTypes) != 2 || d.GmtCreate == "" {
		t.Fatalf("GetProject data = %+v", d)
	}

	t.Run("GetByIdentifierInXML", func(t *testing.T) {
		get := dataworks.CreateGetProjectRequest()
		get.ProjectIdentifier = "ads_report"
		get.AcceptFormat = "XML"
		resp, err := dw.GetProject(get)
		if err != nil {
			t.Fatal(err)
		}
		if int64(resp.Data.ProjectId) != ids["ads_report"] || !resp.Success || len(resp.Data.EnvTypes) != 2 {
			t.Fatalf("GetProject (XML) = %+v", resp)
		}
		if ct := resp.GetHttpHeaders()["Content-Type"]; len(ct) == 0 || !strings.Contains(ct[0], "xml") {
			t.Fatalf("content type %v", ct)
		}
	})

	t.Run("ListPaging", func(t *testing.T) {
		var names []string
		for page := 1; page <= 3; page++ {
			list := dataworks.CreateListProjectsRequest()
			list.PageNumber = requests.NewInteger(page)
			list.PageSize = requests.NewInteger(2)
			resp, err := dw.ListProjects(list)
			if err != nil {
				t.Fatal(err)
			}
			if resp.PageResult.TotalCount != 3 || resp.PageResult.PageNumber != page || resp.PageResult.PageSize != 2 {
				t.Fatalf("page %d: %+v", page, resp.PageResult)
			}
			for _, p := range resp.PageResult.ProjectList {
				names = append(names, p.ProjectIdentifier)
				if p.ProjectId != ids[p.ProjectIdentifier] || p.ProjectStatusCode != "AVAILABLE" {
					t.Fatalf("listed %+v", p)
				}
			}
		}
		if strings.Join(names, ",") != "ads_report,ods_log,sales_dw" {
			t.Fatalf("pages gave %v", names)
		}
	})

	t.Run("ErrBadInput", func(t *testing.T) {
		list := dataworks.CreateListProjectsRequest()
		list.PageSize = requests.NewInteger(101)
		_, err := dw.ListProjects(list)
		if code := oldCode(t, err); code != "InvalidParameter" {
			t.Fatalf("PageSize 101: %s", code)
		}
		get := dataworks.CreateGetProjectRequest()
		get.ProjectId = requests.NewInteger(424242)
		_, err = dw.GetProject(get)
		if code := oldCode(t, err); code != "Forbidden.Access" {
			t.Fatalf("unknown project: %s", code)
		}
		_, err = dw.GetProject(dataworks.CreateGetProjectRequest())
		if code := oldCode(t, err); code != "MissingProjectId" {
			t.Fatalf("no project: %s", code)
		}
		create := dataworks.CreateCreateProjectRequest()
		create.ProjectIdentifier = "sales_dw"
		_, err = dw.CreateProject(create)
		if code := oldCode(t, err); code != "InvalidParameter.Conflict" {
			t.Fatalf("duplicate: %s", code)
		}
		create.ProjectIdentifier = "1bad-name"
		_, err = dw.CreateProject(create)
		if code := oldCode(t, err); code != "InvalidParameter" {
			t.Fatalf("bad name: %s", code)
		}
	})
}

// TestRPC_OldSDK_MaxCompute drives create, get and delete through the old SDK's MaxCompute 2019-06-12 client
// (parameters in the form body).
func TestRPC_OldSDK_MaxCompute(t *testing.T) {
	srv := newServer(t)
	mc, err := maxcompute.NewClientWithOptions("cn-hangzhou", oldConfig(), oldCredential(srv.AccessKeyID, srv.AccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	mc.Domain = srv.Endpoint

	create := maxcompute.CreateCreateProjectRequest()
	create.ProjectName = "mc_project"
	if _, err := mc.CreateProject(create); err != nil {
		t.Fatal(err)
	}
	get := maxcompute.CreateGetProjectRequest()
	get.ProjectName = "mc_project"
	resp, err := mc.GetProject(get)
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Name  string `json:"name"`
		Owner string `json:"owner"`
		UUID  string `json:"uuid"`
	}
	if err := json.Unmarshal([]byte(resp.Data), &data); err != nil || data.Name != "mc_project" || data.Owner != "root" || len(data.UUID) != 32 {
		t.Fatalf("GetProject data %q: %v", resp.Data, err)
	}
	del := maxcompute.CreateDeleteProjectRequest()
	del.ProjectName = "mc_project"
	if _, err := mc.DeleteProject(del); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.GetProject(get); oldCode(t, err) != "Forbidden.Access" {
		t.Fatalf("get after delete: %v", err)
	}
}

// TestRPC_OldSDK_CommonRequest uses the old SDK's CommonRequest, as scripts do for APIs without a
// generated client.
func TestRPC_OldSDK_CommonRequest(t *testing.T) {
	srv := newServer(t)
	if _, err := srv.Client().CreateProject(t.Context(), "common_p", "", ""); err != nil {
		t.Fatal(err)
	}
	dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
	req := requests.NewCommonRequest()
	req.Method = "POST"
	req.Scheme = "http"
	req.Domain = srv.Endpoint
	req.Version = "2020-05-18"
	req.ApiName = "ListProjects"
	req.QueryParams["PageSize"] = "50"
	resp, err := dw.ProcessCommonRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		RequestId  string
		PageResult struct {
			TotalCount  int
			ProjectList []struct{ ProjectIdentifier string }
		}
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.RequestId == "" || out.PageResult.TotalCount != 1 || out.PageResult.ProjectList[0].ProjectIdentifier != "common_p" {
		t.Fatalf("ListProjects = %s", resp.GetHttpContentString())
	}
	if got := resp.GetHttpHeaders()["X-Acs-Request-Id"]; len(got) == 0 || got[0] != out.RequestId {
		t.Fatalf("request id header %v, body %s", got, out.RequestId)
	}
}

// rpcParams are the darabonba Params of a DataWorks action, as the generated client builds them.
func rpcParams(action string) *openapiutil.Params {
	return &openapiutil.Params{Action: dara.String(action), Version: dara.String("2020-05-18"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json")}
}

// TestRPC_Darabonba drives the DataWorks project actions through darabonba-openapi: ACS3 (the default) and
// the legacy v2 signature.
func TestRPC_Darabonba(t *testing.T) {
	for _, algorithm := range []string{"", "v2"} {
		name := "ACS3"
		if algorithm != "" {
			name = algorithm
		}
		t.Run(name, func(t *testing.T) {
			srv := newServer(t)
			c := daraClient(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, algorithm)
			rt := &dara.RuntimeOptions{}
			out, err := c.CallApi(rpcParams("CreateProject"), &openapiutil.OpenApiRequest{Query: queryOf("ProjectIdentifier", "dara_p", "ProjectName", "Dara")}, rt)
			if err != nil {
				t.Fatal(err)
			}
			body := out["body"].(map[string]any)
			id := fmt.Sprint(body["Data"])
			out, err = c.CallApi(rpcParams("GetProject"), &openapiutil.OpenApiRequest{Query: queryOf("ProjectId", id)}, rt)
			if err != nil {
				t.Fatal(err)
			}
			data := out["body"].(map[string]any)["Data"].(map[string]any)
			if data["ProjectIdentifier"] != "dara_p" || data["ProjectName"] != "Dara" {
				t.Fatalf("GetProject = %v", data)
			}
			out, err = c.CallApi(rpcParams("ListProjects"), &openapiutil.OpenApiRequest{Body: map[string]any{"PageSize": 10}}, rt)
			if err != nil {
				t.Fatal(err)
			}
			page := out["body"].(map[string]any)["PageResult"].(map[string]any)
			if fmt.Sprint(page["TotalCount"]) != "1" {
				t.Fatalf("ListProjects = %v", page)
			}
			_, err = c.CallApi(rpcParams("NoSuchAction"), &openapiutil.OpenApiRequest{}, rt)
			if code, status := daraCode(t, err); code != "InvalidApi.NotFound" || status != http.StatusNotFound {
				t.Fatalf("unknown action: %s %d", code, status)
			}
		})
	}
}

// TestRPC_Refusals shows, for each RPC signing scheme, that a wrong secret, an unknown key, a replayed
// request and a stale one are refused with the gateway's codes, and change nothing.
func TestRPC_Refusals(t *testing.T) {
	srv := newServer(t)
	rec := newRecorder(t, srv)
	schemes := []struct {
		name string
		call func(id, secret, project string) error
		code func(t *testing.T, err error) string
	}{
		{"OldSDK-v1", func(id, secret, project string) error {
			dw := newDataWorks(t, rec.Endpoint(), id, secret)
			req := dataworks.CreateCreateProjectRequest()
			req.ProjectIdentifier = project
			_, err := dw.CreateProject(req)
			return err
		}, oldCode},
		{"Darabonba-ACS3", func(id, secret, project string) error {
			_, err := daraClient(t, rec.Endpoint(), id, secret, "").CallApi(rpcParams("CreateProject"),
				&openapiutil.OpenApiRequest{Query: queryOf("ProjectIdentifier", project)}, &dara.RuntimeOptions{})
			return err
		}, func(t *testing.T, err error) string { c, _ := daraCode(t, err); return c }},
		{"Darabonba-v2", func(id, secret, project string) error {
			_, err := daraClient(t, rec.Endpoint(), id, secret, "v2").CallApi(rpcParams("CreateProject"),
				&openapiutil.OpenApiRequest{Query: queryOf("ProjectIdentifier", project)}, &dara.RuntimeOptions{})
			return err
		}, func(t *testing.T, err error) string { c, _ := daraCode(t, err); return c }},
	}
	for i, sc := range schemes {
		t.Run(sc.name, func(t *testing.T) {
			project := fmt.Sprintf("refused_%d", i)
			if err := sc.call(srv.AccessKeyID, srv.AccessKeySecret+"x", project); sc.code(t, err) != "SignatureDoesNotMatch" {
				t.Fatalf("wrong secret: %v", err)
			}
			if err := sc.call("LTAInosuchkey", srv.AccessKeySecret, project); sc.code(t, err) != "InvalidAccessKeyId.NotFound" {
				t.Fatalf("unknown key: %v", err)
			}
			srv.Server.Auth.ShiftClock(20 * time.Minute)
			err := sc.call(srv.AccessKeyID, srv.AccessKeySecret, project)
			srv.Server.Auth.ShiftClock(0)
			if sc.code(t, err) != "InvalidTimeStamp.Expired" {
				t.Fatalf("stale: %v", err)
			}
			if list, err := srv.Client().ListProjects(t.Context(), project); err != nil || len(list) != 0 {
				t.Fatalf("a refused request created %v (%v)", list, err)
			}
			// A good request succeeds once; the same bytes sent again are refused.
			if err := sc.call(srv.AccessKeyID, srv.AccessKeySecret, project); err != nil {
				t.Fatal(err)
			}
			if status, body := rec.replay(t); status != http.StatusBadRequest || !strings.Contains(body, `"SignatureNonceUsed"`) {
				t.Fatalf("replay: %d %s", status, body)
			}
		})
	}
}
