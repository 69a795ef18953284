package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	dw "github.com/aliyun/alibaba-cloud-sdk-go/services/dataworks-public"

	"github.com/sluice-dev/sluice/api/alibaba/auth"
	"github.com/sluice-dev/sluice/internal/badinput"
	"github.com/sluice-dev/sluice/sluicetest"
)

// rpcRequests are the DataWorks actions Sluice serves, each with the old SDK's request type: its fields (with
// their `name` tags and types) are every parameter a client can send, so the generated cases below cover
// parameters Sluice reads and ones it ignores alike.
var rpcRequests = map[string]any{
	"CreateBusiness": dw.CreateCreateBusinessRequest(), "GetBusiness": dw.CreateGetBusinessRequest(),
	"ListBusiness": dw.CreateListBusinessRequest(), "UpdateBusiness": dw.CreateUpdateBusinessRequest(),
	"DeleteBusiness": dw.CreateDeleteBusinessRequest(), "CreateFolder": dw.CreateCreateFolderRequest(),
	"GetFolder": dw.CreateGetFolderRequest(), "ListFolders": dw.CreateListFoldersRequest(),
	"UpdateFolder": dw.CreateUpdateFolderRequest(), "DeleteFolder": dw.CreateDeleteFolderRequest(),
	"CreateFile": dw.CreateCreateFileRequest(), "GetFile": dw.CreateGetFileRequest(),
	"UpdateFile": dw.CreateUpdateFileRequest(), "DeleteFile": dw.CreateDeleteFileRequest(),
	"ListFiles": dw.CreateListFilesRequest(), "ListFileType": dw.CreateListFileTypeRequest(),
	"SubmitFile": dw.CreateSubmitFileRequest(), "DeployFile": dw.CreateDeployFileRequest(),
	"GetDeployment": dw.CreateGetDeploymentRequest(), "ListFileVersions": dw.CreateListFileVersionsRequest(),
	"GetFileVersion": dw.CreateGetFileVersionRequest(), "GetNode": dw.CreateGetNodeRequest(),
	"ListNodes": dw.CreateListNodesRequest(), "GetNodeParents": dw.CreateGetNodeParentsRequest(),
	"GetNodeChildren":            dw.CreateGetNodeChildrenRequest(),
	"GetMetaTableProducingTasks": dw.CreateGetMetaTableProducingTasksRequest(),
	"GetMetaTableBasicInfo":      dw.CreateGetMetaTableBasicInfoRequest(), "GetMetaTableLineage": dw.CreateGetMetaTableLineageRequest(),
	"GetMetaColumnLineage": dw.CreateGetMetaColumnLineageRequest(), "GetMetaTableColumn": dw.CreateGetMetaTableColumnRequest(),
	"ListLineage": dw.CreateListLineageRequest(), "RegisterLineageRelation": dw.CreateRegisterLineageRelationRequest(),
	"DeleteLineageRelation": dw.CreateDeleteLineageRelationRequest(), "GetProject": dw.CreateGetProjectRequest(),
	"ListProjects": dw.CreateListProjectsRequest(), "CreateProject": dw.CreateCreateProjectRequest(),
}

// sdkParam is one parameter of an SDK request: its wire name and kind.
type sdkParam struct {
	name string
	kind string // "string", "integer", "boolean", "float", "list"
}

func sdkParams(req any) []sdkParam {
	var out []sdkParam
	t := reflect.TypeOf(req).Elem()
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("name")
		if name == "" || f.Anonymous {
			continue
		}
		kind := "string"
		switch f.Type {
		case reflect.TypeOf(requests.Integer("")):
			kind = "integer"
		case reflect.TypeOf(requests.Boolean("")):
			kind = "boolean"
		case reflect.TypeOf(requests.Float("")):
			kind = "float"
		default:
			if f.Type.Kind() != reflect.String {
				kind = "list"
			}
		}
		out = append(out, sdkParam{name, kind})
	}
	return out
}

// TestBadInputRPC sends, for every parameter of every DataWorks action, each bad value of badinput.Values, on top
// of a request that is otherwise valid for a small project (so that the value under test is what the server
// must cope with). Every answer must be the Alibaba envelope — never a 5xx — and a refused request must
// change nothing in the database.
func TestBadInputRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of requests")
	}
	if raceDetector {
		t.Skip("sequential requests with nothing concurrent to check: run without -race")
	}
	actions := make([]string, 0, len(rpcRequests))
	for a := range rpcRequests {
		actions = append(actions, a)
	}
	slices.Sort(actions)
	total := 0
	for _, action := range actions {
		t.Run(action, func(t *testing.T) {
			// A server per action: a destructive action's successes cannot disturb the next one's fixture.
			srv := newServer(t)
			fx := newRPCFixture(t, srv)
			op := badinput.Operation{Base: badinput.Request{Query: fx.baseline(action)}, FormQuery: true, Kinds: map[string]string{}}
			for _, p := range sdkParams(rpcRequests[action]) {
				op.Query = append(op.Query, p.name)
				op.Kinds[p.name] = p.kind
			}
			send := func(r badinput.Request) (int, []byte) { return fx.call(action, r.Query) }
			digest := dbDigest(t, srv)
			total += badinput.Run(t, action, op, send, badinput.JSONEnvelope("Code", "Message", "RequestId"), digest)
		})
	}
	t.Logf("%d requests", total)
}

// rpcFixture is a small project with a workflow, a folder, a committed SQL file and its node, and the values
// a valid request for each parameter name takes.
type rpcFixture struct {
	t                  *testing.T
	url, keyID, secret string
	valid              map[string]string
}

func newRPCFixture(t *testing.T, srv *sluicetest.Server) *rpcFixture {
	t.Helper()
	fx := &rpcFixture{t: t, url: srv.URL, keyID: srv.AccessKeyID, secret: srv.AccessKeySecret}
	must := func(action string, q map[string]string) map[string]any {
		status, body := fx.call(action, q)
		if status != 200 {
			t.Fatalf("fixture %s: %d %s", action, status, body)
		}
		var out map[string]any
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	num := func(v any) string { return strconv.FormatInt(int64(v.(float64)), 10) }
	pid := num(must("CreateProject", map[string]string{"ProjectIdentifier": "bad_p", "ProjectName": "bad_p"})["Data"])
	biz := must("CreateBusiness", map[string]string{"ProjectId": pid, "BusinessName": "wf", "UseType": "NORMAL"})["BusinessId"]
	folder := must("CreateFolder", map[string]string{"ProjectId": pid, "FolderPath": "业务流程/wf/MaxCompute/sub"})["Data"].(string)
	file := num(must("CreateFile", map[string]string{"ProjectId": pid, "FileFolderPath": "业务流程/wf/MaxCompute/sub",
		"FileName": "etl", "FileType": "10", "AutoParsing": "true",
		"Content": "INSERT OVERWRITE TABLE t2 SELECT a, b FROM t1;"})["Data"])
	dep := num(must("SubmitFile", map[string]string{"ProjectId": pid, "FileId": file, "Comment": "first"})["Data"])
	got := must("GetFile", map[string]string{"ProjectId": pid, "FileId": file})
	node := num(got["Data"].(map[string]any)["File"].(map[string]any)["NodeId"])
	fx.valid = map[string]string{
		"ProjectId": pid, "ProjectIdentifier": "bad_p", "ProjectName": "bad_p", "BusinessId": num(biz),
		"BusinessName": "wf2", "UseType": "NORMAL", "FolderId": folder, "FolderPath": "业务流程/wf/MaxCompute/sub2",
		"FolderName": "sub3", "FileId": file, "FileName": "etl2", "FileFolderPath": "业务流程/wf/MaxCompute/sub",
		"FileType": "10", "Content": "SELECT 1;", "NodeId": node, "DeploymentId": dep, "FileVersion": "1",
		"Comment": "c", "ProjectEnv": "DEV", "PageNumber": "1", "PageSize": "10", "Keyword": "etl",
		"TableGuid": "odps.bad_p.t2", "ColumnGuid": "odps.bad_p.t2.a", "ColumnName": "a", "DataSourceType": "odps",
		"DatabaseName": "bad_p", "TableName": "t2", "EntityQualifiedName": "maxcompute-table.bad_p.t2",
		"Direction": "down", "SrcEntityQualifiedName": "maxcompute-table.bad_p.t1",
		"DestEntityQualifiedName": "maxcompute-table.bad_p.t2", "Description": "d", "Owner": "",
	}
	return fx
}

// baseline is a request for action with a valid value for each of its parameters the fixture knows.
func (fx *rpcFixture) baseline(action string) map[string]string {
	q := map[string]string{}
	for _, p := range sdkParams(rpcRequests[action]) {
		if v, ok := fx.valid[p.name]; ok && v != "" {
			q[p.name] = v
		}
	}
	return q
}

// call sends action with q in a form body, signed with the HMAC-SHA1 RPC signature as the old SDK signs its
// POST requests, and returns the status and the body.
func (fx *rpcFixture) call(action string, q map[string]string) (int, []byte) {
	fx.t.Helper()
	return fx.callVersion("2020-05-18", action, q)
}

// callVersion is call for an action of API version.
func (fx *rpcFixture) callVersion(version, action string, q map[string]string) (int, []byte) {
	fx.t.Helper()
	form := url.Values{"Action": {action}, "Version": {version}}
	for k, v := range q {
		form.Set(k, v)
	}
	auth.SignRPC("POST", form, fx.keyID, fx.secret, time.Now(), "")
	res, err := http.Post(fx.url+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		fx.t.Fatalf("%s: %v", action, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// dbDigest hashes the rows of srv's SQLite database (badinput.Digest); on PostgreSQL (the end-to-end pass
// on it) it is nil, and the run checks the answers only — the SQLite pass checks that nothing changed.
func dbDigest(t *testing.T, srv *sluicetest.Server) func() string {
	if srv.Server.Config.Database != "" {
		return nil
	}
	return badinput.Digest(t, filepath.Join(srv.Server.Config.DataDir, "sluice.db"), "job")
}
