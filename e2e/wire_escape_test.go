package e2e

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dataworks "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"
)

// TestWire_JSONStringsNotHTMLEscaped: answers must carry <, > and & in JSON strings as themselves, as the
// vendors' gateways do. encoding/json's default writes them as \u003c, \u003e and \u0026, which every
// ordinary JSON parser decodes, but aliyun-java-sdk-core's own reader (com.aliyuncs.reader.JsonReader, 4.7.10,
// used for error bodies and by every typed Java product client) knows no \u escape: it drops the backslash
// and keeps "u003e", so a Java client reads the SQL "a > b && c < d" as "a u003e b u0026u0026 c u003c d".
// The answers are written by api/alibaba/rpc (Server.write) and api/alibaba/roa (writeJSON).
func TestWire_JSONStringsNotHTMLEscaped(t *testing.T) {
	srv := newServer(t)
	const sql = "SELECT * FROM t WHERE a > b && c < d;\n"

	t.Run("DataWorksRPC", func(t *testing.T) {
		dw := newDataWorks(t, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret)
		create := dataworks.CreateCreateProjectRequest()
		create.ProjectIdentifier = "escape_dw"
		project, err := dw.CreateProject(create)
		if err != nil {
			t.Fatal(err)
		}
		cf := dataworks.CreateCreateFileRequest()
		cf.ProjectId = requests.NewInteger64(project.Data)
		cf.FileName = "escape"
		cf.FileType = requests.NewInteger(10)
		cf.Content = sql
		file, err := dw.CreateFile(cf)
		if err != nil {
			t.Fatal(err)
		}
		get := dataworks.CreateGetFileRequest()
		get.ProjectId = requests.NewInteger64(project.Data)
		get.FileId = requests.NewInteger64(file.Data)
		resp, err := dw.GetFile(get)
		if err != nil {
			t.Fatal(err)
		}
		if body := resp.GetHttpContentString(); !strings.Contains(body, `"Content":"SELECT * FROM t WHERE a > b && c < d;\n"`) {
			t.Errorf("GetFile answer escapes the content: %s", body)
		}
	})

	t.Run("MaxComputeROA", func(t *testing.T) {
		c := newOldClient(t, srv.AccessKeyID, srv.AccessKeySecret)
		create := roaRequest(srv.Endpoint, "POST", "CreateProject", "/api/v1/projects")
		create.SetContent([]byte(`{"name": "escape_mc", "comment": "a > b && c < d"}`))
		create.SetContentType("application/json")
		if _, err := c.ProcessCommonRequest(create); err != nil {
			t.Fatal(err)
		}
		get := roaRequest(srv.Endpoint, "GET", "GetProject", "/api/v1/projects/[projectName]")
		get.PathParams["projectName"] = "escape_mc"
		resp, err := c.ProcessCommonRequest(get)
		if err != nil {
			t.Fatal(err)
		}
		if body := resp.GetHttpContentString(); !strings.Contains(body, `"comment":"a > b && c < d"`) {
			t.Errorf("GetProject answer escapes the comment: %s", body)
		}
	})
}

// newOldClient is the old SDK's generic client, for CommonRequests.
func newOldClient(t *testing.T, id, secret string) *sdk.Client {
	t.Helper()
	c, err := sdk.NewClientWithOptions("cn-hangzhou", oldConfig(), oldCredential(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roaRequest is a MaxCompute 2022-01-04 CommonRequest; the old SDK takes the host and the port apart.
func roaRequest(endpoint, method, action, pathPattern string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method = method
	req.Domain, req.Port, _ = strings.Cut(endpoint, ":")
	req.Product = "MaxCompute"
	req.Version = "2022-01-04"
	req.ApiName = action
	req.PathPattern = pathPattern
	return req
}
