package e2e

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// badValues are the hostile and malformed values every parameter gets, by name; "missing" leaves the
// parameter out.
func badValues(kind string) map[string]*string {
	s := func(v string) *string { return &v }
	vals := map[string]*string{
		"missing":        nil,
		"empty":          s(""),
		"huge (1 MB)":    s(strings.Repeat("a", 1<<20)),
		"negative":       s("-1"),
		"overflow":       s("99999999999999999999999999"),
		"unicode":        s("名字\u202e\u200b😀"),
		"control":        s("a\x00b\x01\t\r\n"),
		"sql injection":  s("1' OR '1'='1'; DROP TABLE files; --"),
		"path traversal": s("../../../../etc/passwd"),
	}
	switch kind {
	case "integer", "float":
		vals["wrong type"] = s("twelve")
	case "boolean":
		vals["wrong type"] = s("maybe")
	default:
		vals["wrong type"] = s(`{"a": [1, 2]}`)
	}
	return vals
}

// TestBadInputRPC sends, for every parameter of every DataWorks action, each bad value of badValues, on top
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
			srv := sluicetest.NewServer(t)
			fx := newRPCFixture(t, srv)
			digest := dbDigest(t, filepath.Join(srv.Server.Config.DataDir, "sluice.db"))
			before := digest()
			for _, p := range sdkParams(rpcRequests[action]) {
				for label, v := range badValues(p.kind) {
					q := fx.baseline(action)
					if v == nil {
						delete(q, p.name)
					} else {
						q[p.name] = *v
					}
					status, body := fx.call(action, q)
					total++
					what := fmt.Sprintf("%s %s=%s", action, p.name, label)
					if status >= 500 {
						t.Fatalf("%s: %d %s", what, status, trim(body))
					}
					if status < 400 {
						before = digest() // a value the action accepts may change things
						continue
					}
					var env struct{ Code, Message, RequestId string }
					if err := json.Unmarshal(body, &env); err != nil || env.Code == "" || env.Message == "" || env.RequestId == "" {
						t.Fatalf("%s: %d without the RPC error envelope: %s", what, status, trim(body))
					}
					if after := digest(); after != before {
						t.Fatalf("%s: refused with %s, but the database changed", what, env.Code)
					}
				}
			}
		})
	}
	t.Logf("%d requests", total)
}

func trim(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
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
	form := url.Values{"Action": {action}, "Version": {"2020-05-18"}}
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

// dbDigest returns a function hashing every row of every table of the SQLite database at path (read-only),
// but for bookkeeping that changes on its own: background job leases and the planner's statistics.
func dbDigest(t *testing.T, path string) func() string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func() string {
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			if !strings.Contains(n, "job") {
				tables = append(tables, n)
			}
		}
		rows.Close()
		h := sha256.New()
		for _, table := range tables {
			rows, err := db.Query(`SELECT * FROM "` + table + `"`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			var lines []string
			for rows.Next() {
				rows.Scan(ptrs...)
				lines = append(lines, fmt.Sprint(vals...))
			}
			rows.Close()
			slices.Sort(lines)
			fmt.Fprintln(h, table, url.QueryEscape(strings.Join(lines, "\n")))
		}
		return hex.EncodeToString(h.Sum(nil))
	}
}
